"""Updates caused by users: messages, callbacks and membership changes."""

from __future__ import annotations

import re
import time
from typing import Any

from .html_entities import utf16_len
from .models import SimChat, SimUser
from .state import World
from .updates import UpdateQueue

COMMAND_PATTERN = r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,})?"
# Telegram posts a migrated group's service message in the supergroup on behalf of this bot.
GROUP_ANONYMOUS_BOT = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
ADMIN_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_send_welcome_messages": False,
    "can_pin_messages": True,
}


def member_wire(status: str, user: SimUser) -> dict[str, Any]:
    """A ChatMember object of the given status."""
    member: dict[str, Any] = {"status": status, "user": user.wire()}
    if status == "kicked":
        member["until_date"] = 0
    elif status == "administrator":
        member.update(ADMIN_RIGHTS)
    return member


def command_entities(text: str) -> list[dict[str, Any]]:
    match = re.match(COMMAND_PATTERN, text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group())}]


class Events:
    """Builds user-side updates and queues them for the bot."""

    def __init__(self, world: World, updates: UpdateQueue) -> None:
        self.world = world
        self.updates = updates
        self._callback_counter = 4_000_000_000_000_000_000

    def message(
        self,
        chat: SimChat,
        sender: SimUser | dict[str, Any],
        content: dict[str, Any],
        reply_to_message_id: int | None = None,
        *,
        sender_chat: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        world = self.world
        message: dict[str, Any] = {
            "message_id": world.next_message_id(chat.id),
            "from": sender.wire() if isinstance(sender, SimUser) else sender,
            "chat": chat.wire(),
            "date": int(time.time()),
        }
        if sender_chat is not None:
            message["sender_chat"] = sender_chat
        message.update(content)
        if reply_to_message_id is not None:
            replied = world.any_message(chat.id, reply_to_message_id)
            if replied is None:
                raise ValueError(f"no message {reply_to_message_id} in chat {chat.id}")
            message["reply_to_message"] = replied
        world.user_messages[(chat.id, message["message_id"])] = message
        return self.updates.push({"message": message})

    def chat_for(self, chat_id: int, user: SimUser) -> SimChat:
        """The chat a user writes in; the bot must be in it for Telegram to deliver."""
        if chat_id == user.id:
            if user.blocked:
                self.membership(self.world.chats[user.id], user, "member")
            return self.world.chats[user.id]
        chat = self.world.chats.get(chat_id)
        if chat is None:
            raise ValueError(f"unknown chat {chat_id}: call add_chat or bot_added first")
        if chat.vanished or chat.migrated_to is not None or chat.bot_status in ("left", "kicked"):
            raise ValueError(f"the bot is not in chat {chat_id}: Telegram would not deliver this")
        return chat

    def membership(self, chat: SimChat, actor: SimUser, new_status: str) -> dict[str, Any]:
        """my_chat_member: the bot's status in `chat` changes, by `actor`."""
        bot = self.world.bot
        if chat.user is not None:
            old_status = "kicked" if chat.user.blocked else "member"
            chat.user.blocked = new_status == "kicked"
        else:
            old_status = chat.bot_status
            chat.bot_status = new_status
        return self.updates.push(
            {
                "my_chat_member": {
                    "chat": chat.wire(),
                    "from": actor.wire(),
                    "date": int(time.time()),
                    "old_chat_member": member_wire(old_status, bot),
                    "new_chat_member": member_wire(new_status, bot),
                }
            }
        )

    def joined(
        self, chat: SimChat, user: SimUser, invite: dict[str, Any] | None
    ) -> dict[str, Any]:
        """chat_member: a user joins a group, through ``invite`` (a link's wire) if given.
        Telegram sends it only to an administrator bot that asked for chat_member."""
        update: dict[str, Any] = {
            "chat": chat.wire(),
            "from": user.wire(),
            "date": int(time.time()),
            "old_chat_member": member_wire("left", user),
            "new_chat_member": member_wire("member", user),
        }
        if invite is not None:
            update["invite_link"] = {k: v for k, v in invite.items() if k != "chat_id"}
        return self.updates.push({"chat_member": update})

    def migrate(self, chat_id: int, new_chat_id: int, actor: SimUser) -> list[dict[str, Any]]:
        world = self.world
        old = world.chats[chat_id]
        new = world.add_chat(new_chat_id, "supergroup", old.title)
        new.bot_status = old.bot_status
        first = self.message(old, actor, {"migrate_to_chat_id": new_chat_id})
        old.migrated_to = new_chat_id
        second = self.message(
            new,
            GROUP_ANONYMOUS_BOT,
            {"migrate_from_chat_id": chat_id},
            sender_chat=new.wire(),
        )
        return [first, second]

    def callback(self, user: SimUser, chat_id: int, message_id: int, data: str) -> dict[str, Any]:
        msg = self.world.bot_message(chat_id, message_id)
        if msg is None:
            raise ValueError(f"the bot has no live message {message_id} in chat {chat_id}")
        self._callback_counter += 1
        query_id = str(self._callback_counter)
        query = {
            "id": query_id,
            "from": user.wire(),
            "message": self.world.message_wire(msg),
            "chat_instance": str(abs(chat_id) * 2654435761 % 2**63),
            "data": data,
        }
        self.world.open_callbacks[query_id] = time.monotonic()
        return self.updates.push({"callback_query": query})
