"""Wiring the broadcast engine into a process: settings, the Telegram channel, workers.

``run_here`` runs workers inside the calling process until broadcasts are done (the CLI
and the demo); ``python -m bot worker`` runs them as a service.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any

from aiogram import Bot

from bot.config import Settings
from bot.services import Services
from bot.telegram.channel import TelegramSender
from bot.telegram.username import bot_username
from jobfeed.broadcast.engine import EngineOptions, Worker, run_until_done
from jobfeed.broadcast.liveness import WorkerLiveness
from jobfeed.broadcast.models import Progress
from jobfeed.broadcast.pacing import Pacer
from jobfeed.broadcast.quiet import QuietHours
from jobfeed.broadcast.tasks import BroadcastTasks
from jobfeed.models import GroupFilter, Vacancy
from jobfeed.observe import BroadcastObserver

log = logging.getLogger(__name__)

RETRACT_WAIT = 5.0  # seconds a retraction waits for a cancelled broadcast's sends to settle


def quiet_hours(settings: Settings) -> QuietHours | None:
    """``QUIET_HOURS`` in ``TIMEZONE``, if set: when no broadcast posts."""
    if not settings.quiet_hours:
        return None
    return QuietHours.parse(settings.quiet_hours, settings.timezone)


def engine_options(settings: Settings, **overrides: Any) -> EngineOptions:
    values: dict[str, Any] = {
        "policy": settings.unknown_outcome_policy,
        "quiet": quiet_hours(settings),
    }
    values.update(overrides)
    return EngineOptions(**values)


def make_worker(
    services: Services,
    bot: Bot,
    *,
    pacer: Pacer | None = None,
    observer: BroadcastObserver | None = None,
    **options: Any,
) -> Worker:
    """``observer``: what counts the sends (``Metrics.channel("telegram")``)."""
    return Worker(
        BroadcastTasks(services.redis, services.keys),
        pacer or services.pacer,
        TelegramSender(bot),
        services.groups,
        engine_options(services.settings, **options),
        liveness=WorkerLiveness(services.redis, services.keys),
        observer=observer,
    )


async def run_here(
    services: Services,
    bot: Bot,
    broadcast_ids: Sequence[str],
    *,
    workers: int = 1,
    on_progress: Callable[[list[Progress]], None] | None = None,
    **options: Any,
) -> list[Progress]:
    """Run ``workers`` broadcast workers in this process until the broadcasts finish."""
    crew = [make_worker(services, bot, **options) for _ in range(workers)]
    return await run_until_done(crew, services.broadcasts, broadcast_ids, on_progress=on_progress)


class TelegramBroadcaster:
    """What the approval workflow (``jobfeed.approvals.Broadcaster``) needs, for Telegram."""

    def __init__(self, services: Services, bot: Bot) -> None:
        self._services = services
        self._bot = bot

    async def announce(self, vacancy: Vacancy, target: GroupFilter) -> str:
        broadcast = await self._services.planner.create(
            [vacancy.id],
            target,
            bot_username=await bot_username(self._services.settings, self._bot),
            key=f"announce:{vacancy.id}",
        )
        return broadcast.id

    async def retract(self, broadcast_id: str, vacancy: Vacancy, *, withdraw: bool) -> str | None:
        """Edit (the post then shows the vacancy as closed) or delete every delivered post.

        A broadcast still running is cancelled first; a send that lands after the short
        wait below keeps the old post (at most the sends that were in flight).
        """
        store = self._services.broadcasts
        progress = await store.progress(broadcast_id)
        if progress is None:
            return None
        if not progress.status.finished:
            await store.cancel(broadcast_id)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + RETRACT_WAIT
        while progress.finished_at is None and loop.time() < deadline:
            await asyncio.sleep(0.1)
            progress = await store.progress(broadcast_id) or progress
        planner = self._services.planner
        key = f"retract:{broadcast_id}"
        if withdraw:
            child = await planner.withdraw(broadcast_id, key=key)
        else:
            username = await bot_username(self._services.settings, self._bot)
            child = await planner.edit(broadcast_id, bot_username=username, key=key)
        return child.id
