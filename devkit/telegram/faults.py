"""Faults a test can inject into the simulator's replies."""

from __future__ import annotations

import asyncio
import random
from collections import deque
from collections.abc import Collection
from dataclasses import dataclass

from .errors import ApiError, retry_after, server_error

SEND_METHODS = frozenset(
    {
        "sendmessage",
        "senddocument",
        "sendphoto",
        "copymessage",
        "forwardmessage",
        "editmessagetext",
    }
)


@dataclass(slots=True)
class _Planned:
    remaining: int
    status: int
    retry_after: int
    methods: frozenset[str]


class Faults:
    """Knobs: `fail_next`, `retry_after_storm`, `drop_reply_ratio`, `latency`, `seed`,
    `stall`.

    Planned errors hit send-type methods (sendMessage, sendDocument, sendPhoto,
    copyMessage, forwardMessage, editMessageText) unless `methods` says otherwise, in the
    order they were planned. `latency` (real seconds) delays every API request.
    """

    def __init__(self) -> None:
        self.latency = 0.0
        self.drop_reply_ratio = 0.0
        self._rng = random.Random(0)
        self._planned: deque[_Planned] = deque()
        self._stalls: list[tuple[frozenset[str], str | None]] = []
        self.stalled = 0  # requests hanging now (a test waits for its client to be stuck)
        self._unstall = asyncio.Event()

    def seed(self, value: int) -> None:
        self._rng.seed(value)

    def fail_next(
        self, n: int, status: int = 500, *, methods: Collection[str] | None = None
    ) -> None:
        """The next `n` send-type requests answer `status` (5xx) with error JSON."""
        self._plan(n, status, 0, methods)

    def retry_after_storm(
        self, n: int, retry_after: int = 1, *, methods: Collection[str] | None = None
    ) -> None:
        """The next `n` send-type requests answer 429 with `parameters.retry_after`."""
        self._plan(n, 429, retry_after, methods)

    def stall(self, n: int = 1, *, methods: Collection[str], chat_id: int | None = None) -> None:
        """The next `n` requests of `methods` (to `chat_id` if given) hang unanswered and
        do nothing until `unstall()`, then answer 502: requests lost on the way, which
        hold their sender at a known point (a test can kill it there)."""
        names = frozenset(m.lower() for m in methods)
        target = None if chat_id is None else str(chat_id)
        self._stalls += [(names, target)] * n

    def unstall(self) -> None:
        self._stalls.clear()
        self._unstall.set()

    def stalls(self, method: str, chat_id: object) -> bool:
        """True (and the stall used up) when this request is to hang (`method` lower-cased)."""
        for i, (names, target) in enumerate(self._stalls):
            if method in names and (target is None or target == str(chat_id)):
                del self._stalls[i]
                return True
        return False

    async def hang(self) -> None:
        self.stalled += 1
        try:
            await self._unstall.wait()
        finally:
            self.stalled -= 1

    def clear(self) -> None:
        self._planned.clear()
        self.unstall()
        self._unstall = asyncio.Event()
        self.latency = 0.0
        self.drop_reply_ratio = 0.0

    @property
    def pending(self) -> int:
        return sum(p.remaining for p in self._planned)

    def _plan(self, n: int, status: int, wait: int, methods: Collection[str] | None) -> None:
        if n > 0:
            names = frozenset(m.lower() for m in methods) if methods else SEND_METHODS
            self._planned.append(_Planned(n, status, wait, names))

    def take(self, method: str) -> ApiError | None:
        """The planned error for this request, if any (`method` lower-cased)."""
        if not self._planned:
            return None
        for plan in self._planned:
            if method in plan.methods:
                plan.remaining -= 1
                if plan.remaining <= 0:
                    self._planned.remove(plan)
                if plan.status == 429:
                    return retry_after(max(1, plan.retry_after))
                return server_error(plan.status)
        return None

    def should_drop(self) -> bool:
        ratio = self.drop_reply_ratio
        return ratio > 0 and self._rng.random() < ratio
