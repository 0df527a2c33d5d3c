"""Channels: where the product's posts go, named by an ``Address`` that names its channel.

An ``Address`` is a chat of one channel (``Address("telegram", "-100123")``, written
``telegram:-100123``). A ``Channel`` is the port a broadcast goes through: what it can do
(``Capabilities``), its own send budget (``PacingLimits``), sending, editing and
deleting a post in one chat (answering with the engine's ``SendResult`` kinds, never
raising for a delivery problem), and its own rendering of a post. The Telegram channel is
``bot.telegram.channel.TelegramChannel``; the domain knows a channel only by its name.

``DEFAULT_CHANNEL`` is the channel of a chat named by a bare chat id: data written before
addresses existed (``jobfeed.migrations`` rewrites it), ``groups.jsonl`` rows and API paths
without a channel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

from jobfeed.legacy import FIRST_CHANNEL

if TYPE_CHECKING:
    from jobfeed.broadcast.models import Post
    from jobfeed.broadcast.pacing import PacingLimits
    from jobfeed.broadcast.sender import SendResult

# A bare chat id (data from before addresses, groups.jsonl rows, API paths) names a chat of
# the channel every record came from before channels had names.
DEFAULT_CHANNEL = FIRST_CHANNEL

# A channel's name: lower-case letters, digits and dashes. A chat: printable, no spaces,
# and no "|" (the broadcast records join an address and a message id with it).
CHANNEL_NAME = re.compile(r"[a-z][a-z0-9-]{0,31}")
_CHAT = re.compile(r"[^\s|]{1,256}")
_INTEGER = re.compile(r"-?[0-9]{1,19}")

ChatId = int | str

Markup = Literal["html", "markdown", "text"]


@dataclass(frozen=True, slots=True, order=True)
class Address:
    """One chat of one channel; ``str()`` gives ``"<channel>:<chat>"``, ``parse`` reads it."""

    channel: str
    chat: str
    _text: str = field(init=False, repr=False, compare=False)  # str(), made once

    def __post_init__(self) -> None:
        if not CHANNEL_NAME.fullmatch(self.channel):
            raise ValueError(f"not a channel name: {self.channel!r}")
        if not _CHAT.fullmatch(self.chat):
            raise ValueError(f"not a chat of channel {self.channel}: {self.chat!r}")
        object.__setattr__(self, "_text", f"{self.channel}:{self.chat}")

    def __str__(self) -> str:
        return self._text

    @classmethod
    def parse(cls, text: str) -> Address:
        """``"telegram:-100123"`` -> ``Address("telegram", "-100123")``; ValueError otherwise
        (no channel, an empty chat, spaces, a bad channel name)."""
        channel, colon, chat = text.partition(":")
        if not colon:
            raise ValueError(f"not an address (channel:chat): {text!r}")
        return cls(channel, chat)

    @classmethod
    def of(cls, value: Address | int, channel: str = DEFAULT_CHANNEL) -> Address:
        """An address as given, or a bare integer chat id as a chat of ``channel``."""
        if isinstance(value, Address):
            return value
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"not an address or a chat id: {value!r}")
        return cls(channel, str(value))

    @property
    def chat_id(self) -> ChatId:
        """The chat as an integer when it is one (Telegram's chat ids are), else the text."""
        return int(self.chat) if _INTEGER.fullmatch(self.chat) else self.chat

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        """Numeric chats in numeric order, then the others, channel by channel."""
        chat = self.chat_id
        if isinstance(chat, int):
            return (self.channel, 0, chat, "")
        return (self.channel, 1, 0, chat)


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a channel can do with a post and a chat."""

    send: bool = True
    edit: bool = False  # replace an earlier post's text
    delete: bool = False  # withdraw an earlier post
    buttons: bool = False  # link buttons under a post
    inbound: bool = False  # people's messages reach the product (search, applications)
    max_text: int = 4096  # characters of a post's text, as the channel renders it
    markup: Markup = "text"  # the flavour of a rendered post's text


class Channel(Protocol):
    """The port the broadcast engine sends through (one per channel, by ``name``)."""

    @property
    def name(self) -> str: ...

    @property
    def capabilities(self) -> Capabilities: ...

    @property
    def limits(self) -> PacingLimits:
        """The channel's own send budget (the pacer keeps one per channel)."""
        ...

    async def prepare(self, post: Post) -> None:
        """Render ``post`` ahead of its sends: the engine calls this before it takes a send
        slot, so that rendering never delays a paced send. Never raises."""
        ...

    async def render(self, post: Post) -> str:
        """The post's text as this channel shows it (in its ``markup`` flavour)."""
        ...

    async def send(self, chat: Address, post: Post) -> SendResult: ...

    async def edit(self, chat: Address, message_id: int, post: Post) -> SendResult:
        """An unchanged text counts as ``Delivered``."""
        ...

    async def delete(self, chat: Address, message_id: int) -> SendResult: ...
