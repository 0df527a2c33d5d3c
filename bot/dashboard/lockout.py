"""Sign-in throttling: after ``max_failures`` attempts from one address, or for one
account, further attempts are refused until the window ends.

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

# KEYS: address counter, account counter; ARGV: window seconds.
# Returns {address count, address ttl, account count, account ttl}.
_ATTEMPT = """
local out = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  local ttl = redis.call('TTL', key)
  if ttl < 0 then
    redis.call('EXPIRE', key, ARGV[1])
    ttl = tonumber(ARGV[1])
  end
  out[2 * i - 1] = count
  out[2 * i] = ttl
end
return out
"""

# KEYS: address counter, account counter.
_SUCCEEDED = """
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then
  redis.call('DECR', KEYS[1])
end
redis.call('DEL', KEYS[2])
return 0
"""


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

    async def attempt(self, ip: str, account: str) -> int:
        """Count one attempt; the seconds until sign-in is allowed again, 0 when this one
        may be checked."""
        found = await self._redis.eval(_ATTEMPT, 2, *self._keys_of(ip, account), self.window)
        ip_count, ip_ttl, account_count, account_ttl = (int(value) for value in found)
        waits = [
            max(ttl, 1)
            for count, ttl in ((ip_count, ip_ttl), (account_count, account_ttl))
            if count > self.max_failures
        ]
        return max(waits, default=0)

    async def succeeded(self, ip: str, account: str) -> None:
        await self._redis.eval(_SUCCEEDED, 2, *self._keys_of(ip, account))
