"""What sending one post to one chat can come to: the results every channel answers with.

A channel (``jobfeed.channels.Channel``: Telegram today, a WeCom group
robot later) renders the channel-neutral ``Post`` in its own markup and turns its own
errors into one of the results below; the engine decides what each means for the plan. A
channel never retries by itself and never raises for a delivery problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from jobfeed.broadcast.models import Post


@dataclass(frozen=True, slots=True)
class Delivered:
    message_id: int


@dataclass(frozen=True, slots=True)
class RetryAfter:
    """Flood control: nothing may be sent with this bot for ``seconds``; with ``chat_only``
    only this chat's budget is spent (a channel whose limit is per chat, like a group
    robot's 20 a minute)."""

    seconds: float
    chat_only: bool = False


@dataclass(frozen=True, slots=True)
class Forbidden:
    """The bot was kicked or is not a member any more."""

    reason: str


@dataclass(frozen=True, slots=True)
class Migrated:
    new_chat_id: int


@dataclass(frozen=True, slots=True)
class NotFound:
    """The chat (``what="chat"``) or the message to edit/delete (``"message"``) is gone."""

    what: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Transient:
    """Definitely not delivered, worth retrying: a 5xx, or no connection was made."""

    reason: str
    network: bool = False


@dataclass(frozen=True, slots=True)
class Rejected:
    """Definitely not delivered and a retry would fail the same way (a 400)."""

    reason: str


@dataclass(frozen=True, slots=True)
class Unknown:
    """The request may have reached the server but no reply came back."""

    reason: str


SendResult = (
    Delivered | RetryAfter | Forbidden | Migrated | NotFound | Transient | Rejected | Unknown
)


class Sender(Protocol):
    """A channel's sender that names chats by an integer id (Telegram's)."""

    async def prepare(self, post: Post) -> None:
        """Render ``post`` ahead of its sends (before a send slot is taken, so that
        rendering never delays a paced send). Never raises: a post that cannot be
        rendered is reported by ``send``/``edit``."""
        ...

    async def send(self, chat_id: int, post: Post) -> SendResult: ...

    async def edit(self, chat_id: int, message_id: int, post: Post) -> SendResult:
        """An unchanged text counts as ``Delivered``."""
        ...

    async def delete(self, chat_id: int, message_id: int) -> SendResult: ...


class PostCheck(Protocol):
    def check(self, post: Post) -> None:
        """Raise ``ValueError`` (saying why) when the channel cannot carry ``post``, e.g.
        its text is over the channel's limit; the planner refuses such a broadcast."""
        ...
