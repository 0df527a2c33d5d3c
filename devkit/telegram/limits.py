"""Telegram's flood limits, per bot token, over sliding windows of simulated time.

- 30 messages per second across all chats;
- 20 messages per minute in one group, supergroup or channel;
- 1 message per second in one private chat, with a burst of 3: at most 3 messages in any
  3-second window, which is what Telegram tolerates in practice.

A window admits a message at time t when fewer than N accepted messages lie in
(t - window, t]; the observers below apply the same rule to what was accepted, so a test
can prove the limits were never exceeded.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

from .clock import SimClock
from .errors import retry_after

GLOBAL_LIMIT = (30, 1.0)
GROUP_LIMIT = (20, 60.0)
PRIVATE_LIMIT = (3, 3.0)


@dataclass(slots=True)
class _Window:
    limit: int
    span: float
    times: deque[float] = field(default_factory=deque)

    def wait(self, now: float) -> float:
        """Simulated seconds until one more message fits (0 if it fits now)."""
        times, edge = self.times, now - self.span
        while times and times[0] <= edge:
            times.popleft()
        if len(times) < self.limit:
            return 0.0
        return times[0] - edge


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

    def admit(self, token: str, chat_id: int, is_group: bool) -> float:
        """Record one message, or raise `ApiError` 429 if a window is full.

        Returns the simulated time it was accepted at.
        """
        budget = self._budgets.get(token)
        if budget is None:
            budget = self._budgets[token] = _Budget()
        now = self.clock.now()
        window = budget.chats.get(chat_id)
        if window is None:
            window = budget.chats[chat_id] = _Window(*(GROUP_LIMIT if is_group else PRIVATE_LIMIT))
            if is_group:
                budget.group_chats.add(chat_id)
        if self.enabled:
            wait = max(budget.overall.wait(now), window.wait(now))
            if wait > 0:
                seconds = math.ceil(self.clock.to_real(wait))
                raise retry_after(max(self.retry_after_floor, seconds, 1))
            budget.overall.times.append(now)
            window.times.append(now)
        budget.accepted.append(now)
        budget.accepted_by_chat.setdefault(chat_id, []).append(now)
        return now

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
    best, left = 0, 0
    for right, now in enumerate(times):
        edge = now - window
        while times[left] <= edge:
            left += 1
        best = max(best, right - left + 1)
    return best
