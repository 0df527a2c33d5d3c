"""A WeCom rig: the WeCom simulator beside the Telegram broadcast rig, the real engine and
the real WeCom channels (``bot.wecom``), as a worker process assembles them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from redis.asyncio import Redis

from bot.telegram.channel import TELEGRAM, TelegramChannel
from bot.telegram.links import TelegramLinks
from bot.wecom.credentials import Credentials, CredentialStore
from bot.wecom.robots import ROBOT, Robot, RobotRegistry
from bot.wecom.wiring import WeComChannels
from devkit.wecom import SimRobot, WeComSimulator
from jobfeed.broadcast.engine import EngineOptions, Worker
from jobfeed.broadcast.models import Target
from jobfeed.channels import Address, Channel
from jobfeed.keys import Keys
from jobfeed.texts import Texts
from tests.broadcast.conftest import BOT_USERNAME, QUICK, Rig, open_rig

PUBLIC = "https://jobs.example.com"


@dataclass
class WeComRig:
    tg: Rig
    sim: WeComSimulator
    robots: RobotRegistry
    speed: float
    opened: list[WeComChannels]

    def wecom(self) -> WeComChannels:
        """WeCom's channels as one worker process has them (its own session and pacer)."""
        made = WeComChannels.of(
            self.tg.redis,
            self.tg.keys,
            api_base=self.sim.base_url,
            public_base_url=PUBLIC,
            # As WECOM_CORP_ID and WECOM_SECRET would give them.
            credentials=CredentialStore(
                self.tg.redis, self.tg.keys, default=Credentials(self.sim.corp_id, self.sim.secret)
            ),
            speed=self.speed,
        )
        self.opened.append(made)
        return made

    def worker(self, *, telegram: bool = False, **options: Any) -> Worker:
        wecom = self.wecom()
        channels: dict[str, Channel] = dict(wecom.channels)
        pacers = dict(wecom.pacers)
        if telegram:
            links = TelegramLinks(self.tg.bot, BOT_USERNAME)
            channels[TELEGRAM] = TelegramChannel(self.tg.bot, links=links, texts=Texts())
            pacers[TELEGRAM] = self.tg.pacer()
        return Worker(
            self.tg.tasks,
            pacers,
            channels,
            self.tg.groups,
            EngineOptions(**{**QUICK, **options}),
            liveness=self.tg.liveness,
        )

    async def robot(self, name: str, city: str = "烟台") -> tuple[SimRobot, Robot]:
        sim_robot = self.sim.add_robot()
        robot = await self.robots.register(sim_robot.key, name, city=city)
        return sim_robot, robot

    async def broadcasts(self, n: int, target: Target | None = None) -> list[str]:
        """``n`` broadcasts, one vacancy each."""
        vacancies = await self.tg.vacancy(n)
        ids = []
        for vacancy in vacancies:
            created = await self.tg.planner.create([vacancy.id], target or Target())
            ids.append(created.id)
        return ids


def address(robot: Robot) -> Address:
    return Address(ROBOT, str(robot.group.chat_id))


@pytest.fixture
def speed() -> float:
    return 20.0  # a WeCom minute lasts 3 s


@pytest.fixture
async def wrig(redis: Redis, keys: Keys, speed: float) -> AsyncIterator[WeComRig]:
    async with open_rig(redis, keys, speed) as tg, WeComSimulator(speed=speed) as sim:
        rig = WeComRig(tg, sim, RobotRegistry(redis, keys), speed, [])
        try:
            yield rig
        finally:
            for made in rig.opened:
                await made.close()
