"""The records of the simulated world: users, chats, files and what the bot did."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

GROUP_TYPES = frozenset({"group", "supergroup", "channel"})


@dataclass(slots=True)
class SimUser:
    id: int
    first_name: str
    username: str | None = None
    phone: str | None = None
    is_bot: bool = False
    blocked: bool = False
    deactivated: bool = False

    def wire(self) -> dict[str, Any]:
        user: dict[str, Any] = {
            "id": self.id,
            "is_bot": self.is_bot,
            "first_name": self.first_name,
        }
        if self.username:
            user["username"] = self.username
        if not self.is_bot:
            user["language_code"] = "zh-hans"
        return user


@dataclass(slots=True)
class SimChat:
    """A chat the bot may write to; a private chat shares its id with its user."""

    id: int
    type: str
    title: str = ""
    username: str | None = None
    bot_status: str = "member"  # member | administrator | left | kicked
    migrated_to: int | None = None
    vanished: bool = False
    member_count: int = 10
    user: SimUser | None = None
    # Users' statuses in a group (creator | administrator | member | restricted | kicked |
    # left); a user who wrote in it and is not listed is a member.
    members: dict[int, str] = field(default_factory=dict)
    # The permissions of restricted members, with their until_date.
    restrictions: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def is_group(self) -> bool:
        return self.type in GROUP_TYPES

    def wire(self) -> dict[str, Any]:
        if self.user is not None:
            chat = {"id": self.id, "type": "private", "first_name": self.user.first_name}
            if self.user.username:
                chat["username"] = self.user.username
            return chat
        chat = {"id": self.id, "type": self.type, "title": self.title}
        if self.username:
            chat["username"] = self.username
        return chat


@dataclass(slots=True)
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    size: int
    file_name: str | None = None
    mime_type: str | None = None
    content: bytes | None = None


@dataclass(slots=True)
class SentMessage:
    """A message the bot sent: `sim.sent` keeps it as sent, `sim.messages` as it is now.

    `text` is what the bot sent (markup included, caption for media); `plain_text` and
    `entities` are what the user sees after the parse mode is applied.
    """

    chat_id: int
    message_id: int
    method: str
    text: str | None
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    reply_to_message_id: int | None
    at: float
    sim_at: float
    date: int
    token: str = ""
    plain_text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    document_file_id: str | None = None
    photo_file_id: str | None = None
    media: dict[str, Any] | None = None  # wire fields of non-text content
    from_chat_id: int | None = None  # source of copyMessage/forwardMessage
    source_message_id: int | None = None
    deleted: bool = False
    edit_date: int | None = None

    @property
    def has_caption(self) -> bool:
        return self.media is not None


@dataclass(frozen=True, slots=True)
class EditRecord:
    chat_id: int
    message_id: int
    method: str
    text: str | None
    reply_markup: dict[str, Any] | None
    at: float


@dataclass(frozen=True, slots=True)
class DeleteRecord:
    chat_id: int
    message_id: int
    at: float


@dataclass(frozen=True, slots=True)
class RestrictRecord:
    """restrictChatMember, banChatMember or unbanChatMember as the bot called it."""

    chat_id: int
    user_id: int
    method: str
    permissions: dict[str, Any] | None
    until_date: int
    at: float


@dataclass(frozen=True, slots=True)
class CallbackAnswer:
    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    at: float


class Rejection(NamedTuple):
    method: str
    chat_id: int | str | None
    error_code: int
    description: str
