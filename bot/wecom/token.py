"""The corp's access token: cached in Redis for every process, fetched by one at a time.

``gettoken`` gives a token valid ``expires_in`` seconds (7,200); WeCom asks callers to
cache it rather than fetch it per call (fetching is itself rate-limited). The cached copy
expires ``MARGIN`` seconds early, so it is refreshed before WeCom stops taking it; the one
process that takes the lock (``SET NX`` with a TTL) fetches, the others wait for its
result. A token WeCom refuses (40014, 42001, 40001 after a secret change) is dropped and
fetched again once (``invalidate``).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import cast

from redis.asyncio import Redis

from bot.wecom.credentials import CUSTOMER, CredentialStore
from bot.wecom.http import WeComHttp
from jobfeed.keys import Keys

log = logging.getLogger(__name__)

TOKEN_PATH = "/cgi-bin/gettoken"
MARGIN = 300.0  # seconds before WeCom's expiry that the cached token is dropped
LOCK_SECONDS = 10.0
WAIT_STEP = 0.05
STALE_CODES = frozenset({40001, 40014, 42001})  # invalid credential/token, token expired


class TokenError(Exception):
    """No token: no credentials, or WeCom refused them (``code``)."""

    def __init__(self, message: str, code: int = 0) -> None:
        super().__init__(message)
        self.code = code


class AccessToken:
    def __init__(
        self, redis: Redis, keys: Keys, http: WeComHttp, credentials: CredentialStore
    ) -> None:
        self._redis = redis
        self._key = keys.channel_token(CUSTOMER)
        self._lock = keys.channel_token_lock(CUSTOMER)
        self._http = http
        self._credentials = credentials
        self.fetched = 0  # tokens this process fetched

    async def get(self) -> str:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + LOCK_SECONDS
        while True:
            token = cast(str | None, await self._redis.get(self._key))
            if token:
                return token
            me = uuid.uuid4().hex
            if await self._redis.set(self._lock, me, nx=True, px=int(LOCK_SECONDS * 1000)):
                try:
                    return await self._fetch()
                finally:
                    if await self._redis.get(self._lock) == me:
                        await self._redis.delete(self._lock)
            if loop.time() > deadline:
                raise TokenError("another process is fetching the token and has not finished")
            await asyncio.sleep(WAIT_STEP)

    async def invalidate(self, token: str) -> None:
        if await self._redis.get(self._key) == token:
            await self._redis.delete(self._key)

    async def _fetch(self) -> str:
        found = await self._credentials.get()
        if found is None:
            raise TokenError("no WeCom credentials (WECOM_CORP_ID, WECOM_SECRET)")
        answer = await self._http.call(
            "GET", TOKEN_PATH, {"corpid": found.corp_id, "corpsecret": found.secret}
        )
        code = int(answer.get("errcode", 0))
        if code or not answer.get("access_token"):
            log.warning("WeCom gettoken refused: errcode %d %s", code, answer.get("errmsg", ""))
            raise TokenError(f"gettoken errcode {code}", code)
        token = str(answer["access_token"])
        ttl = max(1.0, float(answer.get("expires_in", 7200)) - MARGIN)
        await self._redis.set(self._key, token, px=int(ttl * 1000))
        self.fetched += 1
        return token
