"""Sign-in throttling: after ``max_failures`` failed attempts from one address, or for one
account, further attempts are refused until the window ends.

Counters live in Redis (shared by every web process) and expire with the window that
the first failure opened; a successful sign-in clears the account's counter but not the
address's, so one good password does not reset guessing at the others.
"""

from __future__ import annotations

from redis.asyncio import Redis

from jobfeed.keys import Keys


class Lockout:
    def __init__(self, redis: Redis, keys: Keys, max_failures: int, window_seconds: int) -> None:
        self._redis = redis
        self._keys = keys
        self.max_failures = max_failures
        self.window = window_seconds

    def _keys_of(self, ip: str, account: str) -> list[str]:
        return [
            self._keys.dashboard_failures_ip(ip),
            self._keys.dashboard_failures_account(account),
        ]

    async def locked_for(self, ip: str, account: str) -> int:
        """Seconds until sign-in is allowed again; 0 when it is allowed now."""
        keys = self._keys_of(ip, account)
        async with self._redis.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.get(key)
                pipe.ttl(key)
            ip_count, ip_ttl, account_count, account_ttl = await pipe.execute()
        waits = [
            max(int(ttl), 1)
            for count, ttl in ((ip_count, ip_ttl), (account_count, account_ttl))
            if count is not None and int(count) >= self.max_failures
        ]
        return max(waits, default=0)

    async def failed(self, ip: str, account: str) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            for key in self._keys_of(ip, account):
                pipe.incr(key)
                pipe.expire(key, self.window, nx=True)
            await pipe.execute()

    async def succeeded(self, account: str) -> None:
        await self._redis.delete(self._keys.dashboard_failures_account(account))
