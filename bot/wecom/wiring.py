"""What a process sends to WeCom through: one HTTP session, the access token, the robot
channel (``wecom-robot``, 20 a minute per robot) and the customer-group channel
(``wecom-customer``, one task per owner) with their budgets, shared by every process
through Redis, and the job following mass sends (``results``)."""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from bot.wecom.credentials import CUSTOMER, CredentialStore
from bot.wecom.customer import (
    CorpApi,
    CustomerGroupSync,
    CustomerResults,
    Owners,
    WeComCustomerChannel,
)
from bot.wecom.http import WeComHttp
from bot.wecom.markdown import WeComTexts
from bot.wecom.robot import WeComRobotChannel
from bot.wecom.robots import ROBOT, RobotRegistry
from bot.wecom.token import AccessToken
from jobfeed.broadcast.pacing import Pacer
from jobfeed.channels import Channel
from jobfeed.confirmations import ConfirmedSends
from jobfeed.groups import GroupRepository
from jobfeed.keys import Keys


@dataclass(frozen=True)
class WeComChannels:
    http: WeComHttp
    token: AccessToken
    channels: dict[str, Channel]
    pacers: dict[str, Pacer]
    results: CustomerResults
    sync: CustomerGroupSync

    @classmethod
    def of(
        cls,
        redis: Redis,
        keys: Keys,
        *,
        api_base: str,
        public_base_url: str | None,
        credentials: CredentialStore | None = None,
        hr_licence: str | None = None,
        speed: float = 1.0,
        results_every: float = 60.0,
    ) -> WeComChannels:
        """``speed``: how much faster than real time WeCom's clock runs (a simulator)."""
        http = WeComHttp(api_base)
        texts = WeComTexts(public_base_url, hr_licence=hr_licence)
        token = AccessToken(redis, keys, http, credentials or CredentialStore(redis, keys))
        api, owners, sends = CorpApi(http, token), Owners(redis, keys), ConfirmedSends(redis, keys)
        robot = WeComRobotChannel(http, RobotRegistry(redis, keys), texts, speed=speed)
        customer = WeComCustomerChannel(api, owners, sends, texts, speed=speed)
        return cls(
            http,
            token,
            {ROBOT: robot, CUSTOMER: customer},
            {
                ROBOT: Pacer(redis, keys, ROBOT, robot.limits),
                CUSTOMER: Pacer(redis, keys, CUSTOMER, customer.limits),
            },
            CustomerResults(api, sends, every=results_every),
            CustomerGroupSync(api, owners, GroupRepository(redis, keys)),
        )

    async def close(self) -> None:
        await self.http.close()
