"""The simulated world: users, chats, messages and files, plus what the bot did to it."""

from __future__ import annotations

import hashlib
import time
from dataclasses import replace
from typing import Any

from .errors import ApiError, bad_request, forbidden
from .models import (
    CallbackAnswer,
    DeleteRecord,
    EditRecord,
    RestrictRecord,
    SentMessage,
    SimChat,
    SimUser,
    StoredFile,
)

MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
FILE_PREFIXES = {
    "documents": "BQACAgIAAxkBAA",
    "photos": "AgACAgIAAxkBAA",
    "stickers": "CAACAgIAAxkBAA",
}
FILE_SUFFIXES = {"documents": "", "photos": ".jpg", "stickers": ".webp"}
CALLBACK_TIMEOUT = 15.0  # real seconds, whatever the simulator's speed
CAPTION_KINDS = ("document", "photo", "video", "audio", "animation", "voice")


class World:
    """Everything a test can set up or inspect; the HTTP layer knows nothing of it."""

    def __init__(self, bot: SimUser) -> None:
        self.bot = bot
        self.users: dict[int, SimUser] = {}
        self.chats: dict[int, SimChat] = {}
        self.messages: dict[tuple[int, int], SentMessage] = {}
        self.user_messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.deleted_user_messages: set[tuple[int, int]] = set()
        self.by_chat: dict[int, list[SentMessage]] = {}
        self.sent: list[SentMessage] = []
        self.edits: list[EditRecord] = []
        self.deletes: list[DeleteRecord] = []
        self.restricts: list[RestrictRecord] = []
        self.callback_answers: list[CallbackAnswer] = []
        # Press time (real monotonic seconds) of each query not answered yet: Telegram
        # takes an answer only once and only for a while, then says "query is too old".
        self.open_callbacks: dict[str, float] = {}
        self.callback_timeout = CALLBACK_TIMEOUT
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        # createChatInviteLink: the link -> its wire object (with the chat it opens).
        self.invite_links: dict[str, dict[str, Any]] = {}
        self._next_message_id: dict[int, int] = {}
        self._file_counter = 0

    # -- setup -------------------------------------------------------------------------

    def add_user(
        self,
        user_id: int,
        first_name: str = "用户",
        username: str | None = None,
        phone: str | None = None,
    ) -> SimUser:
        user = self.users.get(user_id)
        if user is None:
            user = SimUser(user_id, first_name, username, phone)
            self.users[user_id] = user
            self.chats[user_id] = SimChat(user_id, "private", user=user)
        else:
            user.first_name, user.username = first_name, username or user.username
            user.phone = phone or user.phone
        return user

    def ensure_user(self, user_id: int) -> SimUser:
        return self.users.get(user_id) or self.add_user(user_id)

    def add_chat(
        self,
        chat_id: int,
        type: str = "supergroup",
        title: str = "",
        bot_is_member: bool = True,
        *,
        bot_is_admin: bool = False,
        username: str | None = None,
    ) -> SimChat:
        if chat_id > 0:
            raise ValueError(f"group chat ids are negative, got {chat_id}")
        status = "administrator" if bot_is_admin else "member" if bot_is_member else "left"
        chat = SimChat(chat_id, type, title or f"测试群 {chat_id}", username, status)
        self.chats[chat_id] = chat
        return chat

    # -- lookups -----------------------------------------------------------------------

    def resolve(self, ref: int | str) -> SimChat:
        """The chat a bot request targets, or the error Telegram gives for it."""
        chat = self._lookup(ref)
        if chat is None or chat.vanished:
            raise bad_request("chat not found")
        if chat.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        if chat.user is not None:
            if chat.user.deactivated:
                raise forbidden("user is deactivated")
            if chat.user.blocked:
                raise forbidden("bot was blocked by the user")
            return chat
        if chat.bot_status == "kicked":
            raise forbidden(f"bot was kicked from the {chat.type} chat")
        if chat.bot_status == "left":
            raise forbidden(f"bot is not a member of the {chat.type} chat")
        return chat

    def _lookup(self, ref: int | str) -> SimChat | None:
        if isinstance(ref, int):
            return self.chats.get(ref)
        name = ref.removeprefix("@").lower()
        for chat in self.chats.values():
            if (chat.username or "").lower() == name:
                return chat
        return None

    def next_message_id(self, chat_id: int) -> int:
        value = self._next_message_id.get(chat_id, 0) + 1
        self._next_message_id[chat_id] = value
        return value

    def bot_message(self, chat_id: int, message_id: int) -> SentMessage | None:
        msg = self.messages.get((chat_id, message_id))
        return None if msg is None or msg.deleted else msg

    def any_message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """Wire form of a live message from the bot or a user, without its reply."""
        msg = self.bot_message(chat_id, message_id)
        if msg is not None:
            return self.message_wire(msg, nested=True)
        key = (chat_id, message_id)
        raw = self.user_messages.get(key)
        if raw is None or key in self.deleted_user_messages:
            return None
        return {k: v for k, v in raw.items() if k != "reply_to_message"}

    # -- what the bot did -------------------------------------------------------------

    def record_sent(self, msg: SentMessage) -> None:
        self.sent.append(msg)
        current = replace(msg)
        self.messages[(msg.chat_id, msg.message_id)] = current
        self.by_chat.setdefault(msg.chat_id, []).append(current)

    def record_edit(self, msg: SentMessage, method: str) -> None:
        msg.edit_date = int(time.time())
        self.edits.append(
            EditRecord(
                msg.chat_id, msg.message_id, method, msg.text, msg.reply_markup, time.monotonic()
            )
        )

    def message_wire(self, msg: SentMessage, *, nested: bool = False) -> dict[str, Any]:
        chat = self.chats[msg.chat_id]
        wire: dict[str, Any] = {"message_id": msg.message_id}
        if chat.type == "channel":
            wire["sender_chat"] = chat.wire()
        else:
            wire["from"] = self.bot.wire()
        wire["chat"] = chat.wire()
        wire["date"] = msg.date
        if msg.media:
            wire.update(msg.media)
        if msg.plain_text is not None:
            if is_caption_message(msg):
                wire["caption"] = msg.plain_text
                if msg.entities:
                    wire["caption_entities"] = msg.entities
            else:
                wire["text"] = msg.plain_text
                if msg.entities:
                    wire["entities"] = msg.entities
        if msg.reply_markup and "inline_keyboard" in msg.reply_markup:
            wire["reply_markup"] = msg.reply_markup
        if msg.edit_date is not None:
            wire["edit_date"] = msg.edit_date
        if msg.reply_to_message_id is not None and not nested:
            replied = self.any_message(msg.chat_id, msg.reply_to_message_id)
            if replied is not None:
                wire["reply_to_message"] = replied
        return wire

    # -- files --------------------------------------------------------------------------

    def register_file(
        self,
        kind: str,
        size: int,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        content: bytes | None = None,
    ) -> StoredFile:
        self._file_counter += 1
        n = self._file_counter
        digest = hashlib.sha1(f"{kind}:{n}".encode(), usedforsecurity=False).hexdigest()
        suffix = FILE_SUFFIXES[kind]
        if kind == "documents" and file_name and "." in file_name:
            suffix = "." + file_name.rsplit(".", 1)[1]
        stored = StoredFile(
            file_id=f"{FILE_PREFIXES[kind]}{n:06d}{digest[:24]}",
            file_unique_id=f"AgAD{n:06d}{digest[:6]}",
            file_path=f"{kind}/file_{n}{suffix}",
            size=len(content) if content is not None else size,
            file_name=file_name,
            mime_type=mime_type,
            content=content,
        )
        self.files[stored.file_id] = stored
        self.files_by_path[stored.file_path] = stored
        return stored

    @staticmethod
    def file_bytes(stored: StoredFile) -> bytes:
        """The file's content; files registered by size get deterministic filler bytes."""
        if stored.content is not None:
            return stored.content
        size = min(stored.size, MAX_DOWNLOAD_BYTES)
        block = hashlib.sha256(stored.file_id.encode()).digest()
        return (block * (size // len(block) + 1))[:size]


def is_caption_message(msg: SentMessage) -> bool:
    return msg.media is not None and any(kind in msg.media for kind in CAPTION_KINDS)
