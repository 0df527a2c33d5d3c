"""What the broadcast workers of a process send to WeCom through: one HTTP session, the
robot channel and its budget (``wecom-robot``, 20 a minute per robot, shared by every
process through Redis)."""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from bot.wecom.http import WeComHttp
from bot.wecom.markdown import WeComTexts
from bot.wecom.robot import WeComRobotChannel
from bot.wecom.robots import ROBOT, RobotRegistry
from jobfeed.broadcast.pacing import Pacer
from jobfeed.channels import Channel
from jobfeed.keys import Keys


@dataclass(frozen=True)
class WeComChannels:
    http: WeComHttp
    channels: dict[str, Channel]
    pacers: dict[str, Pacer]

    @classmethod
    def of(
        cls,
        redis: Redis,
        keys: Keys,
        *,
        api_base: str,
        public_base_url: str | None,
        hr_licence: str | None = None,
        speed: float = 1.0,
    ) -> WeComChannels:
        http = WeComHttp(api_base)
        texts = WeComTexts(public_base_url, hr_licence=hr_licence)
        robot = WeComRobotChannel(http, RobotRegistry(redis, keys), texts, speed=speed)
        return cls(
            http,
            {ROBOT: robot},
            {ROBOT: Pacer(redis, keys, ROBOT, robot.limits)},
        )

    async def close(self) -> None:
        await self.http.close()
