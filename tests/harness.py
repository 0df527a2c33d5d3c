"""A whole running system for integration tests: simulator, real Redis, real Dispatcher.

``System`` starts the aiohttp app exactly as ``python -m bot run`` does (long polling
against the simulator, the durable inbox, the consumer, the HTTP API on a free port).
Tests inject user updates through ``system.sim`` and call ``await system.settle()``
to wait until every update has been handled.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from aiogram import Bot, Dispatcher
from aiohttp import ClientSession, web
from redis.asyncio import Redis

from bot import appkeys
from bot.accesslog import AccessLog
from bot.app import create_app
from bot.broadcasting import Crew
from bot.config import Settings
from devkit.demo.scenario import settled
from devkit.telegram import TelegramSimulator
from jobfeed.applications.repository import ApplicationRepository
from jobfeed.applications.verification import SmsCodes
from jobfeed.broadcast.pacing import Pacer
from jobfeed.broadcast.planner import BroadcastPlanner
from jobfeed.broadcast.plans import BroadcastPlans
from jobfeed.brokers.repository import BrokerRepository
from jobfeed.groups import GroupRepository
from jobfeed.intake import UpdateInbox
from jobfeed.keys import Keys
from jobfeed.links import Links
from jobfeed.placements.batches import BatchReminders
from jobfeed.placements.checkins import CheckinJob
from jobfeed.placements.repository import PlacementRepository
from jobfeed.places import Places
from jobfeed.roles import RecruiterRepository
from jobfeed.search.live import LiveIndex
from jobfeed.search.service import SearchService
from jobfeed.stats import Stats
from jobfeed.submissions import SubmissionRepository
from jobfeed.texts import Texts
from jobfeed.vacancies import VacancyRepository

TEST_TOKEN = "123456789:AAHtestTOKENtestTOKENtestTOKEN_abcdef"
ADMIN_TOKEN = "test-admin-token-0123456789"
ADMIN_ID = 900001


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_settings(keys: Keys, redis_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "bot_token": TEST_TOKEN,
        "redis_url": redis_url,
        "redis_prefix": keys.prefix,
        "admin_ids": frozenset({ADMIN_ID}),
        "admin_token": ADMIN_TOKEN,
        "host": "127.0.0.1",
        "_env_file": None,
    }
    values.update(overrides)
    return Settings(**values)


def join(update_id: int, chat_id: int) -> dict[str, Any]:
    """The update Telegram sends when an admin adds the bot to the group ``chat_id``."""
    bot = {"id": 123456789, "is_bot": True, "first_name": "bot"}
    return {
        "update_id": update_id,
        "my_chat_member": {
            "chat": {"id": chat_id, "type": "supergroup", "title": f"群{chat_id}"},
            "from": {"id": ADMIN_ID, "is_bot": False, "first_name": "管理员"},
            "date": 1763870000,
            "old_chat_member": {"status": "left", "user": bot},
            "new_chat_member": {"status": "member", "user": bot},
        },
    }


class Parts:
    """What tests reach into, read from the running app's typed keys (``bot/appkeys.py``).
    A test-side convenience: product code asks the app for the one key it uses."""

    def __init__(self, app: web.Application) -> None:
        self._app = app

    @property
    def settings(self) -> Settings:
        return self._app[appkeys.SETTINGS]

    @property
    def redis(self) -> Redis:
        return self._app[appkeys.REDIS]

    @property
    def keys(self) -> Keys:
        return self._app[appkeys.KEYS]

    @property
    def places(self) -> Places:
        return self._app[appkeys.PLACES]

    @property
    def groups(self) -> GroupRepository:
        return self._app[appkeys.GROUPS]

    @property
    def vacancies(self) -> VacancyRepository:
        return self._app[appkeys.VACANCIES]

    @property
    def applications(self) -> ApplicationRepository:
        return self._app[appkeys.APPLICATIONS]

    @property
    def submissions(self) -> SubmissionRepository:
        return self._app[appkeys.SUBMISSIONS]

    @property
    def recruiters(self) -> RecruiterRepository:
        return self._app[appkeys.RECRUITERS]

    @property
    def broadcasts(self) -> BroadcastPlans:
        return self._app[appkeys.PLANS]

    @property
    def planner(self) -> BroadcastPlanner:
        return self._app[appkeys.PLANNER]

    @property
    def stats(self) -> Stats:
        return self._app[appkeys.STATS]

    @property
    def inbox(self) -> UpdateInbox:
        return self._app[appkeys.INBOX]

    @property
    def search(self) -> LiveIndex:
        return self._app[appkeys.LIVE_INDEX]

    @property
    def search_service(self) -> SearchService:
        return self._app[appkeys.SEARCH]

    @property
    def pacer(self) -> Pacer:
        return self._app[appkeys.PACER]

    @property
    def texts(self) -> Texts:
        return self._app[appkeys.TEXTS]

    @property
    def links(self) -> Links:
        return self._app[appkeys.LINKS]

    @property
    def placements(self) -> PlacementRepository:
        return self._app[appkeys.PLACEMENTS]

    @property
    def brokers(self) -> BrokerRepository:
        return self._app[appkeys.BROKERS]

    @property
    def checkins(self) -> CheckinJob:
        return self._app[appkeys.CHECKINS]

    @property
    def batch_reminders(self) -> BatchReminders:
        return self._app[appkeys.BATCH_REMINDERS]


@dataclass
class System:
    sim: TelegramSimulator
    services: Parts  # the running app's parts, by name
    bot: Bot
    dispatcher: Dispatcher
    app: web.Application
    base_url: str
    http: ClientSession

    def crew(self) -> Crew:
        """What broadcast workers of this system are made of (``run_here``, ``worker()``)."""
        parts = self.services
        return Crew(
            parts.settings,
            parts.redis,
            parts.keys,
            self.bot,
            parts.pacer,
            parts.links,
            parts.texts,
        )

    async def settle(self, within: float = 10.0) -> None:
        """Wait until every injected update has been fetched, logged and handled."""
        await settled(self.sim, self.services.inbox, within=within)

    async def api(
        self, method: str, path: str, *, token: str | None = ADMIN_TOKEN, **kwargs: Any
    ) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with self.http.request(
            method, self.base_url + path, headers=headers, **kwargs
        ) as response:
            body = await response.json(content_type=None)
            return response.status, body


@asynccontextmanager
async def running_system(
    keys: Keys,
    redis_url: str,
    *,
    speed: float = 100.0,
    webhook_secret: str | None = None,
    prepare: Callable[[TelegramSimulator], None] | None = None,
    sms_codes: SmsCodes | None = None,
    **overrides: Any,
) -> AsyncIterator[System]:
    """With ``webhook_secret`` the system runs in webhook mode, on its own URL;
    ``prepare`` sets the simulator up before the bot starts (e.g. faults); ``sms_codes``
    turns on the web apply form's SMS check."""
    port = free_port()
    if webhook_secret:
        overrides |= {
            "webhook_base_url": f"http://127.0.0.1:{port}",
            "webhook_secret": webhook_secret,
        }
    async with TelegramSimulator(speed=speed) as sim:
        if prepare is not None:
            prepare(sim)
        settings = make_settings(
            keys, redis_url, telegram_api_base=sim.base_url, port=port, **overrides
        )
        app = create_app(settings, polling=True, sms_codes=sms_codes)
        runner = web.AppRunner(app, access_log_class=AccessLog)  # as `bot run` does
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        http = ClientSession()
        bot, dispatcher = app[appkeys.BOT], app[appkeys.DISPATCHER]
        try:
            yield System(sim, Parts(app), bot, dispatcher, app, f"http://127.0.0.1:{port}", http)
        finally:
            await http.close()
            await runner.cleanup()
