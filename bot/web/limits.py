"""How often the web apply form may be used: per client address and per phone number.

Fixed windows in Redis, shared by every web process: the first use opens the window
(``SET NX EX``) and each use counts (``INCR``), both in one MULTI, so no read decides a
write. The address is ``request.remote``, the TCP peer, as for the dashboard's sign-in
(behind a reverse proxy all clients share the proxy's address: set the limit for it).
"""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from jobfeed.keys import Keys

ADDRESS_WINDOW = 3600  # seconds
PHONE_WINDOW = 86_400


@dataclass(frozen=True, slots=True)
class ApplyLimits:
    per_address: int  # form submissions per address per hour
    per_phone: int  # applications per phone per day


class ApplyThrottle:
    def __init__(self, redis: Redis, keys: Keys, limits: ApplyLimits) -> None:
        self._redis = redis
        self._keys = keys
        self.limits = limits

    async def _count(self, key: str, window: int) -> int:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(key, 0, nx=True, ex=window)
            pipe.incr(key)
            _, count = await pipe.execute()
        return int(count)

    async def address_allows(self, address: str) -> bool:
        """Counts one submission from ``address``; False past the limit."""
        count = await self._count(self._keys.web_apply_address(address), ADDRESS_WINDOW)
        return count <= self.limits.per_address

    async def phone_allows(self, applicant: int) -> bool:
        """Counts one application of the phone behind ``applicant``; False past the limit."""
        count = await self._count(self._keys.web_apply_phone(applicant), PHONE_WINDOW)
        return count <= self.limits.per_phone
