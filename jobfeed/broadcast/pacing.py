"""A send budget per bot token, held in Redis so every worker process shares it.

Telegram allows a bot about 30 messages per second overall and 20 per minute in one
group. One script reserves a send slot against both at once, using Redis' clock:

- overall, a virtual schedule (GCRA): slots are ``1 / rate`` apart, so the sends are
  spread evenly instead of bursting at the top of each second;
- per chat, a sliding window: the times of the chat's reserved slots in the last
  ``window`` seconds; a full window defers only that chat, and costs the others nothing.

A slot is granted at most ``horizon`` seconds ahead; the caller sleeps until it comes.
A 429 moves the whole schedule past its ``retry_after`` (``penalize``).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from jobfeed.keys import Keys

# Returns {granted, wait_ms, slot}: granted=1 -> send in wait_ms; 0 -> ask again then.
# Floats travel as strings: Redis truncates Lua numbers to integers. A function, so that
# the broadcast store can reserve and mark a task as being sent in one script.
RESERVE_FUNCTION = """
local function reserve(tat_key, log, interval, window, limit, horizon)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
  local slot = math.max(tonumber(redis.call('GET', tat_key) or '0'), now)
  if slot - now > horizon then
    return {0, string.format('%.3f', slot - now - horizon), ''}
  end
  local head = redis.call('LINDEX', log, 0)
  while head and tonumber(head) <= slot - window do
    redis.call('LPOP', log)
    head = redis.call('LINDEX', log, 0)
  end
  local n = redis.call('LLEN', log)
  if n >= limit then
    local oldest = tonumber(redis.call('LINDEX', log, n - limit))
    return {0, string.format('%.3f', oldest + window - now), ''}
  end
  local at = string.format('%.3f', slot)
  redis.call('RPUSH', log, at)
  redis.call('PEXPIRE', log, math.ceil(slot - now + window) + 1000)
  redis.call('SET', tat_key, string.format('%.3f', slot + interval), 'PX',
    math.ceil(slot - now + interval) + 60000)
  return {1, string.format('%.3f', slot - now), at}
end
"""

_RESERVE = (
    RESERVE_FUNCTION
    + """
return reserve(KEYS[1], KEYS[2], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]),
  tonumber(ARGV[4]))
"""
)

_PENALIZE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local until_ = now + tonumber(ARGV[1])
if until_ > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], string.format('%.3f', until_), 'PX', math.ceil(ARGV[1]) + 60000)
end
return 1
"""


@dataclass(frozen=True, slots=True)
class PacingLimits:
    """Limits as this process experiences time (see ``scaled`` for a faster clock)."""

    global_rate: float  # messages per second across all chats
    group_limit: int = 20  # messages per group in any ``group_window``
    # Telegram's 60 s plus a guard for the jitter between our clock and its arrival time.
    group_window: float = 61.0
    horizon: float = 1.0  # how far ahead a slot may be reserved

    def scaled(self, speed: float) -> PacingLimits:
        """The same limits against a clock running ``speed`` times faster (the simulator)."""
        return PacingLimits(
            global_rate=self.global_rate * speed,
            group_limit=self.group_limit,
            group_window=self.group_window / speed,
            horizon=self.horizon,
        )


@dataclass(frozen=True, slots=True)
class Slot:
    granted: bool
    wait: float  # seconds: until the slot (granted), or until it is worth asking again
    at: str = ""  # the slot's time in the chat's window, to give it back


class Pacer:
    """``await pacer.acquire(chat_id)`` returns when one message to that chat may go out."""

    def __init__(self, redis: Redis, keys: Keys, bucket: str, limits: PacingLimits) -> None:
        self._limits = limits
        self._redis = redis
        self._tat = keys.pace_global(bucket)
        self._chat_prefix = keys.pace_chat_prefix(bucket)
        self._reserve = redis.register_script(_RESERVE)
        self._penalize = redis.register_script(_PENALIZE)
        self._args = (
            1000.0 / limits.global_rate,
            limits.group_window * 1000.0,
            limits.group_limit,
            limits.horizon * 1000.0,
        )

    @property
    def limits(self) -> PacingLimits:
        return self._limits

    async def reserve(self, chat_id: int) -> Slot:
        """Reserve a slot for one message to ``chat_id`` if one is near enough."""
        keys, args = self.script_input(chat_id)
        return self.slot(await self._reserve(keys=keys, args=args))

    def script_input(self, chat_id: int) -> tuple[list[str], list[float]]:
        """KEYS and ARGV of ``reserve()`` in ``RESERVE_FUNCTION``, for a combined script."""
        return [self._tat, f"{self._chat_prefix}{chat_id}"], list(self._args)

    @staticmethod
    def slot(reply: list[Any]) -> Slot:
        """The ``Slot`` in the first three items of a script's reply."""
        granted, wait_ms, at = reply[:3]
        return Slot(bool(int(granted)), max(0.0, float(wait_ms) / 1000.0), at)

    async def unused(self, chat_id: int, slot: Slot) -> None:
        """A granted slot that was not used: it stops counting against the chat's window
        (the overall schedule cannot be rewound: that moment has passed)."""
        if slot.granted:
            await self._redis.lrem(f"{self._chat_prefix}{chat_id}", 1, slot.at)

    async def acquire(self, chat_id: int) -> None:
        while True:
            slot = await self.reserve(chat_id)
            if slot.wait > 0:
                await asyncio.sleep(slot.wait)
            if slot.granted:
                return

    async def penalize(self, seconds: float) -> None:
        """Telegram answered 429: nothing goes out for ``seconds`` from now."""
        await self._penalize(keys=[self._tat], args=[seconds * 1000.0])
