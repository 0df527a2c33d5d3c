"""A broadcast rig: the simulator, a real Redis, the sample matrix and the real engine.

Limits are Telegram's in simulated time; the pacer gets them scaled to the simulator's
speed (``PacingLimits.scaled``), exactly as a deployment gets them unscaled.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pytest
from aiogram import Bot
from redis.asyncio import Redis

from bot.telegram.channel import TELEGRAM, TelegramChannel
from bot.telegram.links import TelegramLinks
from devkit.telegram import TelegramSimulator
from handlers.posts import PostCheck
from jobfeed.broadcast.engine import EngineOptions, Worker, run_until_done
from jobfeed.broadcast.liveness import WorkerLiveness
from jobfeed.broadcast.models import Progress, Target
from jobfeed.broadcast.pacing import Pacer, PacingLimits
from jobfeed.broadcast.planner import BroadcastPlanner
from jobfeed.broadcast.plans import BroadcastPlans
from jobfeed.broadcast.tasks import BroadcastTasks
from jobfeed.groups import GroupRepository
from jobfeed.keys import Keys
from jobfeed.models import Group, Vacancy
from jobfeed.texts import Texts
from jobfeed.vacancies import VacancyRepository

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
BOT_USERNAME = "zhaopin_test_bot"
# Fast defaults for tests that are not about timing.
QUICK: dict[str, Any] = {"backoff": 0.02, "poll": 0.02, "heartbeat": 0.2, "dead_after": 1.0}


def sample_groups(n: int | None = None) -> list[Group]:
    lines = (SAMPLES / "groups.jsonl").read_text(encoding="utf-8").splitlines()
    return [Group.model_validate_json(line) for line in lines[:n]]


def sample_vacancies(n: int) -> list[Vacancy]:
    lines = (SAMPLES / "vacancies.jsonl").read_text(encoding="utf-8").splitlines()[:n]
    return [
        Vacancy.model_validate_json(line).model_copy(update={"expires_at": None}) for line in lines
    ]


def per_chat(sim: TelegramSimulator, method: str = "sendMessage") -> Counter[int]:
    return Counter(m.chat_id for m in sim.sent if m.method == method)


@dataclass
class Rig:
    sim: TelegramSimulator
    redis: Redis
    keys: Keys
    bot: Bot
    plans: BroadcastPlans
    tasks: BroadcastTasks
    liveness: WorkerLiveness
    groups: GroupRepository
    vacancies: VacancyRepository
    planner: BroadcastPlanner
    matrix: list[Group] = field(default_factory=list)

    async def load(self, n: int | None = None) -> list[Group]:
        """Put the first ``n`` sample groups in the registry and the simulator."""
        self.matrix = sample_groups(n)
        for group in self.matrix:
            self.sim.add_chat(group.chat_id, title=group.title)
        await self.groups.upsert_many(self.matrix)
        return self.matrix

    async def vacancy(self, n: int = 1) -> list[Vacancy]:
        found = sample_vacancies(n)
        await self.vacancies.save_many(found)
        return found

    async def create(self, target: Target | None = None, vacancies: int = 1, **kw: Any) -> str:
        chosen = await self.vacancy(vacancies)
        created = await self.planner.create([v.id for v in chosen], target or Target(), **kw)
        return created.id

    def pacer(self, global_rate: float = 20.0, group_limit: int = 20) -> Pacer:
        limits = PacingLimits(global_rate, group_limit)
        return Pacer(self.redis, self.keys, "rig", limits.scaled(self.sim.speed))

    def worker(self, pacer: Pacer | None = None, **options: Any) -> Worker:
        values = {**QUICK, **options}
        return Worker(
            self.tasks,
            {TELEGRAM: pacer or self.pacer()},
            {
                TELEGRAM: TelegramChannel(
                    self.bot, links=TelegramLinks(self.bot, BOT_USERNAME), texts=Texts()
                )
            },
            self.groups,
            EngineOptions(**values),
            liveness=self.liveness,
        )

    async def states(self, broadcast_id: str) -> list[str]:
        """Every group's raw state in Redis (``q``, ``h|W``, ``s|W``, ``d|..``, ...)."""
        return cast(list[str], await self.redis.hvals(self.keys.broadcast_state(broadcast_id)))

    async def run(self, *ids: str, workers: list[Worker] | None = None) -> list[Progress]:
        return await run_until_done(workers or [self.worker()], self.plans, ids, poll=0.05)


def assert_adds_up(p: Progress) -> None:
    assert p.targeted == p.delivered + p.failed_total + p.skipped_total + p.pending


@pytest.fixture
def speed() -> float:
    return 10.0


@asynccontextmanager
async def open_rig(redis: Redis, keys: Keys, speed: float) -> AsyncIterator[Rig]:
    async with TelegramSimulator(speed=speed) as sim:
        bot = sim.make_bot()
        plans = BroadcastPlans(redis, keys)
        tasks, liveness = BroadcastTasks(redis, keys), WorkerLiveness(redis, keys)
        groups = GroupRepository(redis, keys)
        vacancies = VacancyRepository(redis, keys)
        planner = BroadcastPlanner(plans, groups, vacancies, PostCheck(Texts()))
        try:
            yield Rig(sim, redis, keys, bot, plans, tasks, liveness, groups, vacancies, planner)
        finally:
            await bot.session.close()


@pytest.fixture
async def rig(redis: Redis, keys: Keys, speed: float) -> AsyncIterator[Rig]:
    async with open_rig(redis, keys, speed) as opened:
        yield opened
