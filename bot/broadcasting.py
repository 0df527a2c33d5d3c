"""Wiring the broadcast engine into a process: settings, the Telegram channel, workers.

``run_here`` runs workers inside the calling process until broadcasts are done (the CLI
and the demo); ``python -m bot worker`` runs them as a service.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from redis.asyncio import Redis

from bot.config import Settings
from bot.factories import make_pacer, make_texts, make_wecom, quiet_hours
from bot.telegram.channel import TELEGRAM, TelegramChannel
from bot.telegram.links import TelegramLinks
from bot.wecom.wiring import WeComChannels
from jobfeed.broadcast.engine import EngineOptions, Worker, run_until_done
from jobfeed.broadcast.liveness import WorkerLiveness
from jobfeed.broadcast.models import Progress
from jobfeed.broadcast.pacing import Pacer
from jobfeed.broadcast.planner import BroadcastPlanner
from jobfeed.broadcast.plans import BroadcastPlans
from jobfeed.broadcast.tasks import BroadcastTasks
from jobfeed.channels import Channel
from jobfeed.groups import GroupRepository
from jobfeed.keys import Keys
from jobfeed.links import Links
from jobfeed.models import GroupFilter, Vacancy
from jobfeed.observe import BroadcastObserver
from jobfeed.texts import Texts

log = logging.getLogger(__name__)

RETRACT_WAIT = 5.0  # seconds a retraction waits for a cancelled broadcast's sends to settle


def engine_options(settings: Settings, **overrides: Any) -> EngineOptions:
    values: dict[str, Any] = {
        "policy": settings.unknown_outcome_policy,
        "quiet": quiet_hours(settings),
    }
    values.update(overrides)
    return EngineOptions(**values)


@dataclass(frozen=True)
class Crew:
    """What broadcast workers are made of: a process makes one and as many workers as it runs."""

    settings: Settings
    redis: Redis
    keys: Keys
    bot: Bot
    pacer: Pacer
    links: Links
    texts: Texts  # with the HR licence every post shows (``make_texts``)
    wecom: WeComChannels | None = None  # WeCom's channels, their budgets and HTTP session

    @classmethod
    def of(cls, settings: Settings, redis: Redis, keys: Keys, bot: Bot) -> Crew:
        pacer = make_pacer(settings, redis, keys)
        links = TelegramLinks(bot, settings.bot_username)
        wecom = make_wecom(settings, redis, keys)
        return cls(settings, redis, keys, bot, pacer, links, make_texts(settings), wecom)

    async def close(self) -> None:
        """Close what the crew opened itself (the Bot's session is its maker's)."""
        if self.wecom is not None:
            await self.wecom.close()

    def worker(
        self,
        *,
        pacer: Pacer | None = None,
        observer: BroadcastObserver | None = None,
        **options: Any,
    ) -> Worker:
        """``observer``: what counts the sends (``Metrics.channel("telegram")``)."""
        pacers: dict[str, Pacer] = {TELEGRAM: pacer or self.pacer}
        channels: dict[str, Channel] = {
            TELEGRAM: TelegramChannel(self.bot, links=self.links, texts=self.texts)
        }
        if self.wecom is not None:
            pacers.update(self.wecom.pacers)
            channels.update(self.wecom.channels)
        return Worker(
            BroadcastTasks(self.redis, self.keys),
            pacers,
            channels,
            GroupRepository(self.redis, self.keys),
            engine_options(self.settings, **options),
            liveness=WorkerLiveness(self.redis, self.keys),
            observer=observer,
        )


async def run_here(
    crew: Crew,
    broadcast_ids: Sequence[str],
    *,
    workers: int = 1,
    on_progress: Callable[[list[Progress]], None] | None = None,
    **options: Any,
) -> list[Progress]:
    """Run ``workers`` broadcast workers in this process until the broadcasts finish."""
    team = [crew.worker(**options) for _ in range(workers)]
    plans = BroadcastPlans(crew.redis, crew.keys)
    return await run_until_done(team, plans, broadcast_ids, on_progress=on_progress)


class TelegramBroadcaster:
    """What the approval workflow (``jobfeed.approvals.Broadcaster``) needs, for Telegram."""

    def __init__(self, planner: BroadcastPlanner, plans: BroadcastPlans) -> None:
        self._planner = planner
        self._plans = plans

    async def announce(self, vacancy: Vacancy, target: GroupFilter) -> str:
        broadcast = await self._planner.create([vacancy.id], target, key=f"announce:{vacancy.id}")
        return broadcast.id

    async def retract(self, broadcast_id: str, vacancy: Vacancy, *, withdraw: bool) -> str | None:
        """Edit (the post then shows the vacancy as closed) or delete every delivered post.

        A broadcast still running is cancelled first; a send that lands after the short
        wait below keeps the old post (at most the sends that were in flight).
        """
        store = self._plans
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
        planner = self._planner
        key = f"retract:{broadcast_id}"
        if withdraw:
            child = await planner.withdraw(broadcast_id, key=key)
        else:
            child = await planner.edit(broadcast_id, key=key)
        return child.id
