"""The aiohttp application of ``python -m bot run``: webhook or polling, consumer, HTTP API,
dashboard and public pages; its resources are in ``bot/resources.py``."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager

from aiohttp import web

from bot.api import applications as applications_api
from bot.api import approvals as approvals_api
from bot.api import broadcasts as broadcasts_api
from bot.api import channels as channels_api
from bot.api import compliance as compliance_api
from bot.api import groupcare as groupcare_api
from bot.api import groups as groups_api
from bot.api import ledger as ledger_api
from bot.api import matching as matching_api
from bot.api import search as search_api
from bot.api import stats as stats_api
from bot.api import system as system_api
from bot.api import updates as updates_api
from bot.api import vacancies as vacancies_api
from bot.api import wecom as wecom_api
from bot.api.middleware import api_auth, json_errors
from bot.api.registry import Api
from bot.appkeys import (
    ALERTING,
    BATCH_REMINDERS,
    BOT,
    CHECKINS,
    DISPATCHER,
    GROUPCARE,
    INBOX,
    LEDGER,
    LIVE_INDEX,
    METRICS,
    PIPELINE,
    READINESS,
    SETTINGS,
    STOP,
    TEXTS,
    VACANCIES,
    WELCOMES,
)
from bot.config import Settings
from bot.dashboard import BASE as DASHBOARD
from bot.dashboard import create_dashboard
from bot.metrics import PATH as METRICS_PATH
from bot.metrics import Metrics, handler
from bot.readiness import Readiness
from bot.resources import (
    CARDS,
    Context,
    MakeDispatcher,
    alerts,
    metrics,
    search,
    storage,
    telegram,
)
from bot.searching import SearchFollower
from bot.supervision import Supervised, supervise
from bot.telegram.cards import CardRedelivery
from bot.telegram.dispatcher import create_dispatcher
from bot.telegram.intake import Poller, UpdatePipeline
from bot.telegram.reaching import RECEIVING
from bot.telegram.webhook import WEBHOOK_PATH, WebhookSetter, webhook_handler
from bot.unavailable import dependency_down
from bot.web.site import PublicSite
from bot.wechat.oa.routes import OA, wechat_oa
from bot.wechat.oa.routes import install as install_wechat_oa
from bot.welcoming import WelcomeSender
from jobfeed.applications.verification import SmsCodes
from jobfeed.expiry import ExpirySweeper

log = logging.getLogger(__name__)

BACKGROUND = web.AppKey("background", list[asyncio.Task[None]])


def build_api() -> Api:
    api = Api()
    modules = (
        system_api,
        groups_api,
        groupcare_api,
        vacancies_api,
        compliance_api,
        applications_api,
        broadcasts_api,
        approvals_api,
        stats_api,
        search_api,
        updates_api,
        channels_api,
        ledger_api,
        matching_api,
        wecom_api,
    )
    for module in modules:
        module.setup(api)
    return api


def create_app(
    settings: Settings,
    *,
    polling: bool,
    dispatcher: MakeDispatcher = create_dispatcher,
    sms_codes: SmsCodes | None = None,
) -> web.Application:
    """The app; its resources open when it starts (``bot/resources.py``), then its jobs run.

    ``dispatcher`` makes the Dispatcher from the handlers' dependencies (a benchmark
    passes a trivial one). ``sms_codes``: an SMS verification provider; with one, the web
    apply form asks for a code sent to the phone (none ships: see
    ``jobfeed.applications.verification``)."""
    token = settings.admin_token.get_secret_value() if settings.admin_token else None
    html = (DASHBOARD, *PublicSite.PREFIXES)
    app = web.Application(
        middlewares=[dependency_down(html), json_errors, api_auth(token)],
        client_max_size=2 * 1024**2,
    )
    app[SETTINGS] = settings
    app[STOP] = asyncio.Event()
    app[READINESS] = Readiness()
    resources = [metrics, storage, search, telegram(dispatcher), alerts]
    if settings.wechat_oa_token:
        resources.append(wechat_oa)
        install_wechat_oa(app)
    app.cleanup_ctx.append(_in_order([*resources, _background(polling)]))
    app.add_subapp(DASHBOARD, create_dashboard(settings, app))
    app.router.add_get(DASHBOARD, _to_dashboard)
    build_api().install(app)
    PublicSite(settings, sms=sms_codes).install(app)
    app.router.add_get(METRICS_PATH, handler(_metrics, token))
    if settings.use_webhook:
        assert settings.webhook_secret  # guaranteed with the base URL
        secret = settings.webhook_secret.get_secret_value()
        app.router.add_post(WEBHOOK_PATH, webhook_handler(_pipeline, secret))
    return app


def _pipeline(request: web.Request) -> UpdatePipeline:
    return request.app[PIPELINE]


def _metrics(request: web.Request) -> Metrics:
    return request.app[METRICS]


def _jobs(app: web.Application, polling: bool) -> list[Supervised]:
    settings, pipeline, readiness = app[SETTINGS], app[PIPELINE], app[READINESS]
    sweeper = ExpirySweeper(
        app[VACANCIES],
        on_expired=app[LEDGER].vacancies_ended,
        interval=settings.expiry_sweep_seconds,
    )
    jobs = [
        Supervised("update intake", pipeline.run),
        Supervised("expiry sweep", sweeper.run),
        Supervised("search index", SearchFollower(app[LIVE_INDEX]).run),
        Supervised("card redelivery", CardRedelivery(app[CARDS]).run),
        *app[ALERTING].jobs(),
        Supervised(
            "welcomes",
            WelcomeSender(app[BOT], app[WELCOMES], app[GROUPCARE], app[TEXTS]).run,
        ),
        Supervised("retention check-ins", app[CHECKINS].run),
        Supervised("departure reminders", app[BATCH_REMINDERS].run),
    ]
    if OA in app:
        jobs.append(Supervised("official account kept messages", app[OA].sweep))
    bot, allowed = app[BOT], app[DISPATCHER].resolve_used_update_types()
    if settings.use_webhook:
        assert settings.webhook_base_url and settings.webhook_secret  # guaranteed together
        secret = settings.webhook_secret.get_secret_value()
        url = settings.webhook_base_url + WEBHOOK_PATH
        readiness.down(RECEIVING, "webhook not set yet")
        setter = WebhookSetter(bot, url, secret, allowed, readiness)
        jobs.append(Supervised("webhook", setter.run, once=True))
    elif polling:
        readiness.down(RECEIVING, "polling not started yet")
        poller = Poller(bot, pipeline, app[INBOX], allowed, readiness)
        jobs.append(Supervised("polling", poller.run))
    return jobs


async def _to_dashboard(request: web.Request) -> web.StreamResponse:
    raise web.HTTPPermanentRedirect(DASHBOARD + "/")


def _in_order(contexts: Sequence[Context]) -> Context:
    """The resources as one cleanup context: opened in order, closed in reverse, and when
    one fails to open, those already open are closed there and then (aiohttp closes
    nothing when its startup fails: a metrics listener stayed bound and its generators
    were left to the loop's shutdown, which closed them in any order)."""

    async def resources(app: web.Application) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            for context in contexts:
                await stack.enter_async_context(asynccontextmanager(context)(app))
            yield

    return resources


def _background(polling: bool) -> Callable[[web.Application], AsyncIterator[None]]:
    async def context(app: web.Application) -> AsyncIterator[None]:
        jobs = _jobs(app, polling)
        await app[INBOX].beat()  # alive before the first update is taken in
        stop, readiness = app[STOP], app[READINESS]
        tasks = [
            asyncio.create_task(supervise(job, stop, readiness), name=job.name) for job in jobs
        ]
        app[BACKGROUND] = tasks
        yield
        stop.set()
        # Updates in hand are finished; whatever is still unhandled stays logged in
        # the stream and another receiver (or this one after a restart) adopts it.
        done, pending = await asyncio.wait(tasks, timeout=10)
        for task in pending:
            task.cancel()
        for task in done:
            if not task.cancelled() and task.exception():
                log.error("Background job %s failed", task.get_name(), exc_info=task.exception())

    return context
