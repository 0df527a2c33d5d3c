"""The aiohttp application of ``python -m bot run``: webhook or polling, consumer, HTTP API."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable

from aiogram import Bot, Dispatcher
from aiohttp import web

from bot.alerting import open_alerting
from bot.api import applications as applications_api
from bot.api import approvals as approvals_api
from bot.api import broadcasts as broadcasts_api
from bot.api import groups as groups_api
from bot.api import search as search_api
from bot.api import stats as stats_api
from bot.api import system as system_api
from bot.api import updates as updates_api
from bot.api import vacancies as vacancies_api
from bot.api.middleware import api_auth, json_errors
from bot.api.registry import Api
from bot.appkeys import (
    ALERTING,
    APPROVALS,
    BOT,
    DISPATCHER,
    NOTIFIER,
    PIPELINE,
    READINESS,
    SERVICES,
    STOP,
)
from bot.broadcasting import TelegramBroadcaster
from bot.dashboard import BASE as DASHBOARD
from bot.dashboard import create_dashboard
from bot.readiness import Readiness
from bot.searching import SearchFollower
from bot.services import Services
from bot.supervision import Supervised, supervise
from bot.telegram.cards import CardRedelivery
from bot.telegram.intake import RECEIVING, Poller, UpdatePipeline, webhook_handler
from bot.telegram.notifier import TelegramNotifier
from bot.telegram.webhook import WebhookSetter
from bot.unavailable import dependency_down
from bot.web.site import PublicSite
from jobfeed.approvals import Approvals
from jobfeed.dead_letters import DeadLetters
from jobfeed.expiry import ExpirySweeper
from jobfeed.sources.ledger import FeedLedger

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
BACKGROUND = web.AppKey("background", list[asyncio.Task[None]])


def build_api() -> Api:
    api = Api()
    modules = (
        system_api,
        groups_api,
        vacancies_api,
        applications_api,
        broadcasts_api,
        approvals_api,
        stats_api,
        search_api,
        updates_api,
    )
    for module in modules:
        module.setup(api)
    return api


def create_app(
    services: Services, bot: Bot, dispatcher: Dispatcher, *, polling: bool
) -> web.Application:
    settings = services.settings
    token = settings.admin_token.get_secret_value() if settings.admin_token else None
    html = (DASHBOARD, *PublicSite.PREFIXES)
    app = web.Application(
        middlewares=[dependency_down(html), json_errors, api_auth(token)],
        client_max_size=2 * 1024**2,
    )
    app[SERVICES] = services
    app[BOT] = bot
    app[DISPATCHER] = dispatcher
    app[STOP] = asyncio.Event()
    # Approving starts a broadcast, which needs the bot (its username for apply links).
    approvals = Approvals(
        services.vacancies,
        services.submissions,
        TelegramBroadcaster(services, bot),
        on_feed_closed=FeedLedger(services.redis, services.keys).vacancies_ended,
    )
    app[APPROVALS] = dispatcher["approvals"] = approvals
    notifier = TelegramNotifier(bot, services.texts, services.applications, settings.admin_ids)
    app[NOTIFIER] = dispatcher["notifier"] = notifier
    alerting = app[ALERTING] = open_alerting(services, notifier, dispatcher)
    app.add_subapp(DASHBOARD, create_dashboard(services))
    app.router.add_get(DASHBOARD, _to_dashboard)
    build_api().install(app)
    PublicSite(services, bot).install(app)

    dead = DeadLetters(services.redis, services.keys)
    pipeline = app[PIPELINE] = UpdatePipeline(dispatcher, bot, services.inbox, dead)
    readiness = app[READINESS] = Readiness()
    sweeper = ExpirySweeper(
        services.vacancies,
        on_expired=FeedLedger(services.redis, services.keys).vacancies_ended,
        interval=settings.expiry_sweep_seconds,
    )
    jobs = [
        Supervised("update intake", pipeline.run),
        Supervised("expiry sweep", sweeper.run),
        Supervised("search index", SearchFollower(services.search).run),
        Supervised("card redelivery", CardRedelivery(notifier.cards).run),
        *alerting.jobs(),
    ]
    allowed = dispatcher.resolve_used_update_types()
    if settings.use_webhook:
        assert settings.webhook_base_url and settings.webhook_secret  # guaranteed together
        secret = settings.webhook_secret.get_secret_value()
        app.router.add_post(WEBHOOK_PATH, webhook_handler(pipeline, secret))
        url = settings.webhook_base_url + WEBHOOK_PATH
        readiness.down(RECEIVING, "webhook not set yet")
        setter = WebhookSetter(bot, url, secret, allowed, readiness)
        jobs.append(Supervised("webhook", setter.run, once=True))
    elif polling:
        readiness.down(RECEIVING, "polling not started yet")
        poller = Poller(bot, pipeline, services.inbox, allowed, readiness)
        jobs.append(Supervised("polling", poller.run))
    app.cleanup_ctx.append(_background(jobs))
    return app


async def _to_dashboard(request: web.Request) -> web.StreamResponse:
    raise web.HTTPPermanentRedirect(DASHBOARD + "/")


def _background(jobs: list[Supervised]) -> Callable[[web.Application], AsyncIterator[None]]:
    async def context(app: web.Application) -> AsyncIterator[None]:
        await app[SERVICES].inbox.beat()  # alive before the first update is taken in
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
        await app[DISPATCHER].storage.close()
        await app[BOT].session.close()

    return context
