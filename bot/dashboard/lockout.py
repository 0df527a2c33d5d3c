"""Sign-in throttling: after ``max_failures`` attempts from one address, or for one
named account, further attempts are refused until the window ends.

Never globally: an attempt with no named account (the admin token) is counted for its
address only, so guessing at the token from one address locks that address and nobody
else. The address is ``request.remote``, the TCP peer: there is no trusted-proxy setting,
so ``X-Forwarded-For`` is never read (anyone could forge it). Behind a reverse proxy
every client has the proxy's address and shares its count.

An attempt is counted *before* its credential is checked (one atomic script increments
both counters), so concurrent attempts cannot all read "not locked yet" and slip past
the limit together. Counters live in Redis (shared by every web process) and expire with
the window that the first attempt opened. A successful sign-in clears the account's
counter and refunds its own count on the address, but leaves the address's other
failures, so one good password does not reset guessing at the others.
"""

from __future__ import annotations

from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.lua import load_script

PACKAGE = "bot.dashboard"


class Lockout:
    def __init__(self, redis: Redis, keys: Keys, max_failures: int, window_seconds: int) -> None:
        self._keys = keys
        self.max_failures = max_failures
        self.window = window_seconds
        self._attempt = load_script(redis, PACKAGE, "signin_attempt")
        self._succeeded = load_script(redis, PACKAGE, "signin_succeeded")

    def _keys_of(self, ip: str, account: str | None) -> list[str]:
        keys = [self._keys.dashboard_failures_ip(ip)]
        if account is not None:
            keys.append(self._keys.dashboard_failures_account(account))
        return keys

    async def attempt(self, ip: str, account: str | None) -> int:
        """Count one attempt from ``ip`` (and for ``account`` when one is named); the
        seconds until sign-in is allowed again, 0 when this one may be checked."""
        keys = self._keys_of(ip, account)
        found = [int(value) for value in await self._attempt(keys, [self.window])]
        waits = [
            max(ttl, 1)
            for count, ttl in zip(found[::2], found[1::2], strict=True)
            if count > self.max_failures
        ]
        return max(waits, default=0)

    async def succeeded(self, ip: str, account: str | None) -> None:
        keys = self._keys_of(ip, account)
        await self._succeeded(keys)
