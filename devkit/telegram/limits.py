"""Telegram's flood limits, per bot token, over sliding windows of arrival times.

- 30 messages per second across all chats;
- 20 messages per minute in one group, supergroup or channel;
- 1 message per second in one private chat, with a burst of 3: at most 3 messages in any
  3-second window, which is what Telegram tolerates in practice.

A message is stamped with the simulated time its request arrived at the server (not when
the server got round to it), and refused with 429 when, counting it, more than N accepted
messages would lie in some window (t - span, t]: a true sliding window, so no burst
straddling a second or a minute gets through, as it would with fixed windows or a token
bucket. Arrival stamps of concurrent requests may come in out of order; each is placed
where it belongs. Refused requests do not count. The observers below apply the same rule
to what was accepted, so a test can prove the limits were never exceeded.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field

from .clock import SimClock
from .errors import retry_after

GLOBAL_LIMIT = (30, 1.0)
GROUP_LIMIT = (20, 60.0)
PRIVATE_LIMIT = (3, 3.0)
# Real seconds an arrival stamp may lag behind the server's clock when it is admitted
# (its request was still being read or waited its turn): the windows keep that much more.
STRAGGLER = 2.0


@dataclass(slots=True)
class _Window:
    limit: int
    span: float
    times: list[float] = field(default_factory=list)  # accepted arrivals, sorted

    def wait(self, at: float) -> float:
        """Simulated seconds until one more message arriving at ``at`` would fit
        (0 if it fits): the longest overfull run of ``limit + 1`` arrivals with it."""
        times, limit = self.times, self.limit
        i = bisect_right(times, at)

        def nth(k: int) -> float:  # the k-th arrival with ``at`` placed at index i
            return times[k] if k < i else at if k == i else times[k - 1]

        worst = 0.0
        for first in range(max(0, i - limit), min(i, len(times) - limit) + 1):
            worst = max(worst, self.span - (nth(first + limit) - nth(first)))
        return worst

    def add(self, at: float, keep_after: float) -> None:
        insort(self.times, at)
        old = bisect_left(self.times, keep_after)
        if old:
            del self.times[:old]


@dataclass(slots=True)
class _Budget:
    overall: _Window = field(default_factory=lambda: _Window(*GLOBAL_LIMIT))
    chats: dict[int, _Window] = field(default_factory=dict)
    accepted: list[float] = field(default_factory=list)
    accepted_by_chat: dict[int, list[float]] = field(default_factory=dict)
    group_chats: set[int] = field(default_factory=set)


class RateLimiter:
    def __init__(self, clock: SimClock, *, enabled: bool = True) -> None:
        self.clock = clock
        self.enabled = enabled and clock.speed > 0
        self.retry_after_floor = 1
        self._budgets: dict[str, _Budget] = {}

    def admit(
        self, token: str, chat_id: int, is_group: bool, arrived: float | None = None
    ) -> float:
        """Record one message that arrived at simulated time ``arrived`` (default: now),
        or raise `ApiError` 429 if a window is full.

        Returns the simulated time it was accepted at (its arrival).
        """
        budget = self._budgets.get(token)
        if budget is None:
            budget = self._budgets[token] = _Budget()
        now = self.clock.now()
        at = now if arrived is None else min(arrived, now)
        window = budget.chats.get(chat_id)
        if window is None:
            window = budget.chats[chat_id] = _Window(*(GROUP_LIMIT if is_group else PRIVATE_LIMIT))
            if is_group:
                budget.group_chats.add(chat_id)
        if self.enabled:
            wait = max(budget.overall.wait(at), window.wait(at))
            if wait > 0:
                seconds = math.ceil(self.clock.to_real(wait))
                raise retry_after(max(self.retry_after_floor, seconds, 1))
            straggler = self.clock.to_sim(STRAGGLER)
            budget.overall.add(at, now - budget.overall.span - straggler)
            window.add(at, now - window.span - straggler)
        insort(budget.accepted, at)
        insort(budget.accepted_by_chat.setdefault(chat_id, []), at)
        return at

    def max_rate_observed(self, window: float = 1.0) -> int:
        """Most messages one token had accepted in any `window` of simulated seconds."""
        return max((_densest(b.accepted, window) for b in self._budgets.values()), default=0)

    def max_per_chat(self, window: float = 60.0, *, include_private: bool = False) -> int:
        """Most messages accepted for one chat in any `window` (groups only by default)."""
        best = 0
        for budget in self._budgets.values():
            for chat_id, times in budget.accepted_by_chat.items():
                if include_private or chat_id in budget.group_chats:
                    best = max(best, _densest(times, window))
        return best

    def accepted_total(self) -> int:
        return sum(len(b.accepted) for b in self._budgets.values())


def _densest(times: list[float], window: float) -> int:
    """Most of the sorted ``times`` in any (t - window, t]."""
    best, left = 0, 0
    for right, now in enumerate(times):
        edge = now - window
        while times[left] <= edge:
            left += 1
        best = max(best, right - left + 1)
    return best
