"""Who a follower is to the rest of the product, and what waits for them.

Applications name their applicant by a number; a follower is known by the OpenID WeChat
gives them for this account. Their number is derived from it (above 2**53, so it never
meets a Telegram user id, which has at most 52 bits, nor a web applicant's, which is
negative) and the OpenID is kept beside it for writing back. A text that could not reach
them (48 hours passed, or WeChat failed for a while) is held and given with the passive
reply to their next message.
"""

from __future__ import annotations

import hashlib

from redis.asyncio import Redis

from bot.wechat.oa import CHANNEL
from jobfeed.keys import Keys

BASE = 2**53
HELD_DAYS = 30  # held texts older than this say nothing useful any more


class Followers:
    def __init__(self, redis: Redis, keys: Keys, appid: str) -> None:
        self._redis = redis
        self._keys = keys
        self._appid = appid

    def person(self, openid: str) -> int:
        digest = hashlib.sha256(f"{self._appid}\x1f{openid}".encode()).digest()
        return BASE + int.from_bytes(digest[:6], "big")

    async def known(self, openid: str) -> int:
        """The follower's number, remembering their OpenID for writing back."""
        person = self.person(openid)
        await self._redis.hset(self._keys.channel_people(CHANNEL), str(person), openid)
        return person

    async def openid(self, person: int) -> str | None:
        found = await self._redis.hget(self._keys.channel_people(CHANNEL), str(person))
        return None if found is None else str(found)

    async def hold(self, person: int, text: str) -> None:
        key = self._keys.channel_held(CHANNEL, person)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.rpush(key, text)
            pipe.expire(key, HELD_DAYS * 86400)
            await pipe.execute()

    async def take_held(self, person: int) -> list[str]:
        key = self._keys.channel_held(CHANNEL, person)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.lrange(key, 0, -1)
            pipe.delete(key)
            held, _ = await pipe.execute()
        return list(held)

    async def forget(self, person: int) -> None:
        """Nothing of them is kept: their OpenID and anything held for them."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hdel(self._keys.channel_people(CHANNEL), str(person))
            pipe.delete(self._keys.channel_held(CHANNEL, person))
            await pipe.execute()
