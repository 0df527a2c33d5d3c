"""The Official Account's API access token: fetched once, kept in Redis for every process,
refreshed before it expires by the one process holding the refresh lease.

WeChat issues a token for 7,200 s and voids the previous one 5 minutes after a new one is
issued, and counts the fetches (2,000 a day): processes fetching on their own would void
each other's tokens. So the token lives in Redis; whoever finds it missing or within
``MARGIN`` of expiring takes the lease (``jobfeed/scripts/data_lease.lua``) and fetches,
the others wait for the new token. A token WeChat calls invalid (40001) or expired
(42001) is dropped with ``invalidate`` and fetched again.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from aiohttp import ClientError, ClientSession, ClientTimeout
from redis.asyncio import Redis

from bot.wechat.oa import CHANNEL
from jobfeed.keys import Keys
from jobfeed.lua import load_script
from jobfeed.models import utcnow

log = logging.getLogger(__name__)

MARGIN = timedelta(minutes=10)
LEASE_MS = 15_000
STALE_CODES = frozenset({40001, 40014, 42001})  # invalid, not a token, expired
TIMEOUT = ClientTimeout(total=10)


class TokenError(Exception):
    """No token now (WeChat refused or unreachable); the caller retries later."""


class AccessTokens:
    def __init__(
        self,
        http: ClientSession,
        redis: Redis,
        keys: Keys,
        *,
        api_base: str,
        appid: str,
        secret: str,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._http = http
        self._redis = redis
        self._key = keys.channel_access_token(CHANNEL)
        self._lock = keys.channel_access_token_lock(CHANNEL)
        self._lease = load_script(redis, "jobfeed", "data_lease")
        self._url = f"{api_base}/cgi-bin/token"
        self._appid = appid
        self._secret = secret
        self._clock = clock

    async def get(self, *, patience: float = 10.0) -> str:
        deadline = asyncio.get_running_loop().time() + patience
        while True:
            token = await self._cached()
            if token is not None:
                return token
            owner = uuid.uuid4().hex
            if await self._lease(keys=[self._lock], args=[owner, "take", LEASE_MS]):
                try:
                    return await self._fetch()
                finally:
                    await self._lease(keys=[self._lock], args=[owner, "drop", 0])
            if asyncio.get_running_loop().time() > deadline:
                raise TokenError("another process is fetching the token for too long")
            await asyncio.sleep(0.1)

    async def invalidate(self, token: str) -> None:
        """WeChat called ``token`` stale: fetch anew next time (unless already done)."""
        if await self._redis.hget(self._key, "token") == token:
            await self._redis.delete(self._key)

    async def _cached(self) -> str | None:
        cached = await self._redis.hgetall(self._key)
        if not cached:
            return None
        expires = float(cached.get("expires", 0))
        if expires - self._clock().timestamp() <= MARGIN.total_seconds():
            return None
        return str(cached["token"])

    async def _fetch(self) -> str:
        params = {"grant_type": "client_credential", "appid": self._appid, "secret": self._secret}
        try:
            async with self._http.get(self._url, params=params, timeout=TIMEOUT) as response:
                answer = await response.json(content_type=None)
        except (ClientError, TimeoutError, ValueError) as exc:
            raise TokenError(f"fetching the access token failed: {type(exc).__name__}") from None
        token, lifetime = answer.get("access_token"), answer.get("expires_in")
        if not isinstance(token, str) or not isinstance(lifetime, int):
            # errmsg names the problem (e.g. an IP not on the whitelist); never the secret.
            raise TokenError(f"WeChat refused the access token: {answer.get('errcode')}")
        expires = self._clock().timestamp() + lifetime
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._key, mapping={"token": token, "expires": str(expires)})
            pipe.expireat(self._key, int(expires))
            await pipe.execute()
        log.info("WeChat OA access token refreshed, good for %s s", lifetime)
        return token
