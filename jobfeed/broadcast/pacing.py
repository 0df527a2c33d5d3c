"""A send budget per channel, held in Redis so every worker process shares it.

Each channel has its own ``Pacer`` (the engine takes one per channel name), named by a
bucket: Telegram's is the bot id, since Telegram allows a bot 30 messages in any second
overall and 20 in any minute in one group, counted when the requests arrive at its
servers; another channel brings its own limits (a WeCom group robot, 20 a minute per
robot). One script reserves a send slot against all of a budget's limits at once, using
Redis' clock:

- overall, a virtual schedule (GCRA): slots are ``1 / rate`` apart, so the sends are
  spread evenly instead of bursting at the top of each second;
- overall, a sliding window of arrivals: a request arrives after its slot and before its
  sender hears back, so each slot is kept with the latest moment it can have arrived
  (``sent`` lowers it to when the reply came; until then ``in_flight`` after the slot),
  and a slot is granted only if fewer than ``global_rate x global_window`` of those lie
  within ``global_window`` before it. Requests sent exactly ``1 / rate`` apart arrive
  bunched by network and scheduling jitter; this keeps them within Telegram's count
  whatever the jitter, at the cost of about one round trip per window;
- per chat, a sliding window: the times of the chat's reserved slots in the last
  ``window`` seconds; a full window defers only that chat, and costs the others nothing.

A slot is granted at most ``horizon`` seconds ahead; the caller sleeps until it comes.
A 429 moves the whole schedule past its ``retry_after`` (``penalize``).
"""

from __future__ import annotations

import asyncio
import logging
import math
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from jobfeed.batching import ScriptBatcher
from jobfeed.keys import Keys
from jobfeed.lua import load_script

log = logging.getLogger(__name__)

PACKAGE = "jobfeed.broadcast"


@dataclass(frozen=True, slots=True)
class PacingLimits:
    """Limits as this process experiences time (see ``scaled`` for a faster clock)."""

    global_rate: float  # messages per second across all chats
    group_limit: int = 20  # messages per group in any ``group_window``
    # Telegram's 60 s plus a guard for the jitter between our clock and its arrival time.
    group_window: float = 61.0
    horizon: float = 1.0  # how far ahead a slot may be reserved
    # Telegram counts the overall limit per second: at most global_rate x global_window
    # arrivals in any global_window.
    global_window: float = 1.0
    # Real seconds after its slot by which a request is taken to have arrived until its
    # sender reports back (``Pacer.sent``); not scaled: networks do not run faster. Replies
    # come back well within it, so its size costs nothing but after a crashed sender; too
    # small, a stalled process or a slow network delivers a request after its bound and
    # the window undercounts (a 429).
    in_flight: float = 2.0

    @property
    def global_cap(self) -> int:
        return max(1, math.floor(self.global_rate * self.global_window + 1e-9))

    def scaled(self, speed: float) -> PacingLimits:
        """The same limits against a clock running ``speed`` times faster (the simulator)."""
        return PacingLimits(
            global_rate=self.global_rate * speed,
            group_limit=self.group_limit,
            group_window=self.group_window / speed,
            horizon=self.horizon,
            global_window=self.global_window / speed,
            in_flight=self.in_flight,
        )


@dataclass(frozen=True, slots=True)
class Slot:
    granted: bool
    wait: float  # seconds: until the slot (granted), or until it is worth asking again
    at: str = ""  # the slot's time in the chat's window, to give it back


class Pacer:
    """``await pacer.acquire(chat)`` returns when one message to that chat may go out.

    ``chat`` is the chat within the budget's channel (``Address.chat``, or Telegram's
    integer chat id: the same key)."""

    def __init__(self, redis: Redis, keys: Keys, bucket: str, limits: PacingLimits) -> None:
        self._limits = limits
        self._redis = redis
        self._tat = keys.pace_global(bucket)
        self._sent = keys.pace_sent(bucket)
        self._chat_prefix = keys.pace_chat_prefix(bucket)
        self._reserve = load_script(redis, PACKAGE, "fn_reserve", "reserve")
        self._record_sent = load_script(redis, PACKAGE, "sent")
        self._penalize = load_script(redis, PACKAGE, "penalize")
        self._penalize_chat = load_script(redis, PACKAGE, "penalize_chat")
        self._batched = ScriptBatcher(redis)
        self._reports: set[asyncio.Future[Any]] = set()
        self._args = (
            1000.0 / limits.global_rate,
            limits.group_window * 1000.0,
            limits.group_limit,
            limits.horizon * 1000.0,
            # A sender may go up to a millisecond early (a shorter wait is not slept).
            limits.global_window * 1000.0 + 1.0,
            limits.global_cap,
            limits.in_flight * 1000.0,
        )

    @property
    def limits(self) -> PacingLimits:
        return self._limits

    async def reserve(self, chat: int | str) -> Slot:
        """Reserve a slot for one message to ``chat`` if one is near enough."""
        keys, args = self.script_input(chat)
        return self.slot(await self._reserve(keys=keys, args=args))

    def script_input(self, chat: int | str) -> tuple[list[str], list[float]]:
        """KEYS and ARGV of ``reserve()`` in ``scripts/fn_reserve.lua``, for a combined script."""
        return [self._tat, self._sent, f"{self._chat_prefix}{chat}"], list(self._args)

    @staticmethod
    def slot(reply: list[Any]) -> Slot:
        """The ``Slot`` in the first three items of a script's reply."""
        granted, wait_ms, at = reply[:3]
        return Slot(bool(int(granted)), max(0.0, float(wait_ms) / 1000.0), at)

    async def unused(self, chat: int | str, slot: Slot) -> None:
        """A granted slot that was not used: it stops counting against the chat's window
        (the overall schedule cannot be rewound: that moment has passed)."""
        if slot.granted:
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.lrem(f"{self._chat_prefix}{chat}", 1, slot.at)
                pipe.zrem(self._sent, slot.at)
                await pipe.execute()

    async def sent(self, slot: Slot) -> None:
        """The reply to the request sent in ``slot`` came back (whatever it said): the
        request reached Telegram by now, which frees its place in the overall window
        sooner than ``in_flight`` would. Best effort: if Redis is unreachable, the bound
        stays ``in_flight`` after the slot.

        Returns at once: the report goes out with the turn's batch and nobody waits for
        it (a send waiting a round trip for it cost a fifth of the engine's throughput).
        A late report is safe: it lowers the bound to Redis' time when it runs, never
        below the reply's, and never raises it."""
        if not slot.granted:
            return
        report = self._batched.submit(self._record_sent, [self._sent], [slot.at])
        self._reports.add(report)
        report.add_done_callback(self._reported)

    async def reports_made(self) -> None:
        """Until every ``sent`` report so far has reached Redis (or failed)."""
        if self._reports:
            await asyncio.wait(set(self._reports))

    def _reported(self, report: asyncio.Future[Any]) -> None:
        self._reports.discard(report)
        _report_failure(report)

    async def acquire(self, chat: int | str) -> Slot:
        """Wait for a slot to send one message to ``chat``; report its reply with ``sent``."""
        while True:
            slot = await self.reserve(chat)
            if slot.wait > 0:
                await asyncio.sleep(slot.wait)
            if slot.granted:
                return slot

    async def penalize(self, seconds: float) -> None:
        """The channel answered "too many" (Telegram's 429): nothing goes out of this budget
        for ``seconds`` from now."""
        await self._penalize(keys=[self._tat], args=[seconds * 1000.0])

    async def penalize_chat(self, chat: int | str, seconds: float) -> None:
        """The channel answered "too many" for one chat only: that chat's window counts as
        full for ``seconds`` from now; the other chats go on."""
        await self._penalize_chat(
            keys=[f"{self._chat_prefix}{chat}"],
            args=[seconds * 1000.0, self._limits.group_window * 1000.0, self._limits.group_limit],
        )


def _report_failure(report: asyncio.Future[Any]) -> None:
    if report.cancelled():
        return
    exc = report.exception()
    if isinstance(exc, (RedisError, OSError)):
        log.warning("Pacing: could not record a reply: %s", exc)
    elif exc is not None:
        log.error("Pacing: recording a reply failed", exc_info=exc)
