"""What the domain reports as it works, for whoever counts it (``bot.metrics``).

The domain never imports a metrics library: components take an observer with the small
interface below and call it; ``Ignore`` (the default) drops every report. The context
variables name what a log line is about (the update, chat or broadcast being handled)
for the log formatter, without passing it through every call.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from jobfeed.broadcast.sender import SendResult

UPDATE_ID: ContextVar[int | None] = ContextVar("update_id", default=None)
CHAT_ID: ContextVar[int | str | None] = ContextVar("chat_id", default=None)
BROADCAST_ID: ContextVar[str | None] = ContextVar("broadcast_id", default=None)


def log_context() -> dict[str, Any]:
    """The ids of what is being handled right now (only those known)."""
    found = {
        "update_id": UPDATE_ID.get(),
        "chat_id": CHAT_ID.get(),
        "broadcast_id": BROADCAST_ID.get(),
    }
    return {name: value for name, value in found.items() if value is not None}


class UpdateObserver(Protocol):
    def received(self) -> None:
        """An update was logged for handling (a duplicate is not)."""

    def adopted(self) -> None:
        """An update left by a stopped receiver (or replayed) is handled here."""

    def handled(self, seconds: float, *, failed: bool) -> None:
        """An update was settled: handled, or (``failed``) dead-lettered."""


class BroadcastObserver(Protocol):
    def sent(self, channel: str, action: str, result: SendResult) -> None:
        """One send, edit or delete made, and what came of it."""

    def paced(self, seconds: float) -> None:
        """A send waited this long for its slot in the send budget."""


class SearchObserver(Protocol):
    def searched(self, seconds: float, total: int) -> None:
        """One search of the index took ``seconds`` and found ``total`` (0: nothing)."""


class ApplicationObserver(Protocol):
    def filed(self) -> None:
        """An application was stored."""

    def delivered(self) -> None:
        """An application's card reached its recruiter (or the admins)."""


class Ignore:
    """Every observer at once, reporting nothing: the default of every component."""

    def received(self) -> None:
        pass

    def adopted(self) -> None:
        pass

    def handled(self, seconds: float, *, failed: bool) -> None:
        pass

    def sent(self, channel: str, action: str, result: SendResult) -> None:
        pass

    def paced(self, seconds: float) -> None:
        pass

    def searched(self, seconds: float, total: int) -> None:
        pass

    def filed(self) -> None:
        pass

    def delivered(self) -> None:
        pass
