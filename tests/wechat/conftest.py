"""The whole system with the Official Account on, against the WeChat API simulator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import pytest
from redis.asyncio import Redis

from bot.wechat.oa.routes import OA, OaEndpoint
from devkit.wechat import Follower, Mode, WeChatApiSimulator
from jobfeed.keys import Keys
from tests.conftest import redis_url
from tests.harness import System, running_system

TOKEN = "oaToken2026"
APPID = "wx1234567890abcdef"
SECRET = "0123456789abcdef0123456789abcdef"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


@dataclass
class OaSystem:
    system: System
    api: WeChatApiSimulator
    follower: Callable[..., Follower]

    @property
    def endpoint(self) -> OaEndpoint:
        return self.system.app[OA]

    async def sent_to(self, openid: str, count: int = 1, within: float = 10.0) -> list[str]:
        """The customer-service texts to ``openid``, once there are ``count`` of them."""
        deadline = asyncio.get_running_loop().time() + within
        while len(self.api.messages_to(openid)) < count:
            assert asyncio.get_running_loop().time() < deadline, "nothing sent in time"
            await asyncio.sleep(0.02)
        return self.api.messages_to(openid)


async def _oa(keys: Keys, *, aes: bool) -> AsyncIterator[OaSystem]:
    async with WeChatApiSimulator(APPID, SECRET) as api:
        settings = {
            "wechat_oa_token": TOKEN,
            "wechat_oa_appid": APPID,
            "wechat_oa_secret": SECRET,
            "wechat_api_base": api.base_url,
        }
        if aes:
            settings["wechat_oa_aes_key"] = AES_KEY
        async with running_system(keys, redis_url(), **settings) as system:

            def follower(openid: str = "oFollower0001", mode: Mode = Mode.plain) -> Follower:
                return Follower(
                    system.http,
                    system.base_url + "/wechat/oa",
                    api,
                    TOKEN,
                    openid,
                    mode=mode,
                    aes_key=AES_KEY if aes else None,
                )

            yield OaSystem(system, api, follower)


@pytest.fixture
async def oa(keys: Keys, redis: Redis) -> AsyncIterator[OaSystem]:
    async for running in _oa(keys, aes=False):
        yield running


@pytest.fixture
async def oa_secure(keys: Keys, redis: Redis) -> AsyncIterator[OaSystem]:
    """With the EncodingAESKey set: compatible and secure mode."""
    async for running in _oa(keys, aes=True):
        yield running
