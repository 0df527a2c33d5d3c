"""The bot's update queue: getUpdates long polling, offsets and webhook mode."""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass
from typing import Any

from .errors import ApiError

# Telegram leaves these out unless allowed_updates names them explicitly.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


@dataclass(slots=True)
class Webhook:
    url: str
    token: str
    secret_token: str | None = None
    max_connections: int = 40
    last_error_date: int | None = None
    last_error_message: str | None = None


def update_type(update: dict[str, Any]) -> str:
    return next((key for key in update if key != "update_id"), "")


class UpdateQueue:
    """Pending updates, confirmed by `offset` like Telegram; wakes pollers and the pusher."""

    def __init__(self) -> None:
        self._pending: deque[dict[str, Any]] = deque()
        self._next_id = 100_000_001
        self._wakeup = asyncio.Event()
        self._poll_generation = 0
        self.allowed: frozenset[str] | None = None
        self.webhook: Webhook | None = None
        self.closed = False
        self.history: list[dict[str, Any]] = []

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        given = update.get("update_id")
        if isinstance(given, int):
            self._next_id = max(self._next_id, given + 1)
        else:
            update = {"update_id": self._next_id, **update}
            self._next_id += 1
        self._pending.append(update)
        self.history.append(update)
        self.notify()
        return update

    def notify(self) -> None:
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    async def changed(self, within: float | None = None) -> bool:
        """Wait until something is pushed or the queue closes; False after `within` s."""
        try:
            await asyncio.wait_for(self._wakeup.wait(), within)
        except TimeoutError:
            return False
        return True

    @property
    def pending_count(self) -> int:
        return len(self._pending)

    def drop_pending(self) -> None:
        self._pending.clear()

    def close(self) -> None:
        self.closed = True
        self.notify()

    def confirm(self, offset: int) -> None:
        if offset < 0:
            while len(self._pending) > -offset:
                self._pending.popleft()
            return
        while self._pending and self._pending[0]["update_id"] < offset:
            self._pending.popleft()

    def ready(self, limit: int) -> list[dict[str, Any]]:
        """Up to `limit` deliverable updates, discarding those not allowed."""
        allowed = self.allowed
        batch: list[dict[str, Any]] = []
        unwanted: list[dict[str, Any]] = []
        for update in self._pending:
            kind = update_type(update)
            if (kind in allowed) if allowed else (kind not in OPT_IN_UPDATES):
                batch.append(update)
                if len(batch) >= limit:
                    break
            else:
                unwanted.append(update)
        for update in unwanted:
            self._pending.remove(update)
        return batch

    def pop_delivered(self, update: dict[str, Any]) -> None:
        if self._pending and self._pending[0] is update:
            self._pending.popleft()

    def set_allowed(self, allowed: Any) -> None:
        if isinstance(allowed, list):
            self.allowed = frozenset(str(a) for a in allowed) or None

    async def get(
        self, offset: int | None, limit: int, poll_seconds: float
    ) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(409, WEBHOOK_CONFLICT)
        if offset is not None:
            self.confirm(offset)
        self._poll_generation += 1
        me = self._poll_generation
        self.notify()  # an older long poll ends with 409, as on Telegram
        loop = asyncio.get_running_loop()
        deadline = loop.time() + poll_seconds
        while True:
            batch = self.ready(limit)
            remaining = deadline - loop.time()
            if batch or remaining <= 0 or self.closed:
                return batch
            await self.changed(remaining)
            if self._poll_generation != me:
                raise ApiError(409, POLL_CONFLICT)
            if self.webhook is not None:
                raise ApiError(409, WEBHOOK_CONFLICT)
