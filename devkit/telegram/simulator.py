"""`TelegramSimulator`: the facade tests and the demo use (see the package docstring)."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from aiohttp import web

from .clock import SimClock
from .context import SimContext
from .control import setup_control
from .dispatch import ApiDispatcher
from .events import Events, command_entities
from .faults import Faults
from .limits import RateLimiter
from .methods import method_table
from .methods.media import document_wire, photo_wire
from .models import (
    CallbackAnswer,
    DeleteRecord,
    EditRecord,
    Rejection,
    RestrictRecord,
    SentMessage,
    SimChat,
    SimUser,
)
from .server import add_fallback, create_app
from .state import World
from .updates import UpdateQueue
from .webhook import Attempt, WebhookPusher

if TYPE_CHECKING:
    from aiogram import Bot

DEFAULT_ACTOR_ID = 1000  # who kicks the bot when a test does not say


class TelegramSimulator:
    def __init__(
        self,
        speed: float = 1.0,
        bot_user_id: int = 7000000001,
        bot_username: str = "zhaopin_test_bot",
        *,
        limits_enabled: bool = True,
        bot_first_name: str = "招聘助手",
    ) -> None:
        self.clock = SimClock(speed)
        self.world = World(SimUser(bot_user_id, bot_first_name, bot_username, is_bot=True))
        self.updates = UpdateQueue()
        self.faults = Faults()
        self._limits = RateLimiter(self.clock, enabled=limits_enabled)
        self._ctx = SimContext(self.world, self.updates, self._limits, self.faults, self.clock)
        self._events = Events(self.world, self.updates)
        self._dispatcher = ApiDispatcher(self._ctx, method_table())
        self._pusher = WebhookPusher(self.updates, self._dispatcher)
        self._pusher_task: asyncio.Task[None] | None = None
        self._runner: web.AppRunner | None = None
        self._base_url: str | None = None

    # -- lifecycle ---------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve the Bot API on host:port (0 picks a free port); returns `base_url`."""
        app = create_app(self._dispatcher, self.world)
        setup_control(app, self)
        add_fallback(app)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        self._runner = runner
        bound = runner.addresses[0][1]
        self._base_url = f"http://{host}:{bound}"
        self._pusher_task = asyncio.create_task(self._pusher.run(), name="sim-webhook-pusher")
        return self._base_url

    async def close(self) -> None:
        self.updates.close()
        if self._pusher_task is not None:
            self._pusher_task.cancel()
            await asyncio.gather(self._pusher_task, return_exceptions=True)
            self._pusher_task = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            raise RuntimeError("the simulator is not started")
        return self._base_url

    @property
    def token(self) -> str:
        """A well-formed token for the simulated bot (any `\\d+:[A-Za-z0-9_-]{30,}` works)."""
        return f"{self.world.bot.id}:SIMULATED-{'x' * 25}"

    def make_bot(self, token: str | None = None, **kwargs: Any) -> Bot:
        """An unmodified aiogram `Bot` talking to this simulator through a `SimSession`."""
        # importing aiogram takes seconds; the standalone server never needs it
        from aiogram import Bot  # noqa: PLC0415

        from .session import SimSession  # noqa: PLC0415

        return Bot(token or self.token, session=SimSession(self.base_url), **kwargs)

    # -- knobs -------------------------------------------------------------------------

    @property
    def speed(self) -> float:
        return self.clock.speed

    @property
    def limits_enabled(self) -> bool:
        return self._limits.enabled

    @limits_enabled.setter
    def limits_enabled(self, value: bool) -> None:
        self._limits.enabled = value and self.clock.speed > 0

    @property
    def retry_after_floor(self) -> int:
        return self._limits.retry_after_floor

    @retry_after_floor.setter
    def retry_after_floor(self, value: int) -> None:
        self._limits.retry_after_floor = max(1, int(value))

    def advance(self, sim_seconds: float) -> None:
        """Move simulated time forward, e.g. to free a rate-limit window instantly."""
        self.clock.advance(sim_seconds)

    # -- world setup -------------------------------------------------------------------

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
        return self.world.add_chat(
            chat_id, type, title, bot_is_member, bot_is_admin=bot_is_admin, username=username
        )

    def add_user(
        self,
        user_id: int,
        first_name: str = "用户",
        username: str | None = None,
        phone: str | None = None,
    ) -> SimUser:
        return self.world.add_user(user_id, first_name, username, phone)

    def block(self, user_id: int) -> dict[str, Any]:
        """The user blocks the bot: my_chat_member update, later sends get 403."""
        user = self.world.ensure_user(user_id)
        return self._events.membership(self.world.chats[user_id], user, "kicked")

    def unblock(self, user_id: int) -> dict[str, Any]:
        user = self.world.ensure_user(user_id)
        return self._events.membership(self.world.chats[user_id], user, "member")

    def deactivate(self, user_id: int) -> None:
        """The user deleted their account: later sends get 403 "user is deactivated"."""
        self.world.ensure_user(user_id).deactivated = True

    def vanish(self, chat_id: int) -> None:
        """The chat is gone: later sends get 400 "chat not found"."""
        self.world.chats[chat_id].vanished = True

    # -- user-side updates -------------------------------------------------------------

    def bot_added(
        self,
        chat_id: int,
        by_user_id: int = DEFAULT_ACTOR_ID,
        title: str = "",
        type: str = "supergroup",
        *,
        as_admin: bool = False,
    ) -> dict[str, Any]:
        chat = self.world.chats.get(chat_id)
        if chat is None or chat.vanished:
            chat = self.world.add_chat(chat_id, type, title, bot_is_member=False)
        elif title:
            chat.title = title
        actor = self.world.ensure_user(by_user_id)
        return self._events.membership(chat, actor, "administrator" if as_admin else "member")

    def bot_removed(
        self, chat_id: int, status: str = "kicked", by_user_id: int = DEFAULT_ACTOR_ID
    ) -> dict[str, Any]:
        if status not in ("kicked", "left"):
            raise ValueError("status is 'kicked' or 'left'")
        actor = self.world.ensure_user(by_user_id)
        return self._events.membership(self.world.chats[chat_id], actor, status)

    def join(self, chat_id: int, user_id: int, invite_link: str | None = None) -> dict[str, Any]:
        """The user joins the group, through one of the bot's invite links if given. Only an
        administrator bot hears of it (chat_member); otherwise nothing is sent: ``{}``."""
        user = self.world.ensure_user(user_id)
        chat = self._events.chat_for(chat_id, user)
        if chat.bot_status != "administrator":
            return {}
        invite = self.world.invite_links.get(invite_link) if invite_link else None
        if invite_link and (invite is None or invite["chat_id"] != chat_id):
            raise ValueError(f"{invite_link} is not an invite link of chat {chat_id}")
        return self._events.joined(chat, user, invite)

    def user_message(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        reply_to_message_id: int | None = None,
        entities: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """A text message; chat_id == user_id means the private chat with the bot."""
        user = self.world.ensure_user(user_id)
        chat = self._events.chat_for(chat_id, user)
        content: dict[str, Any] = {"text": text}
        found = command_entities(text) if entities is None else entities
        if found:
            content["entities"] = found
        return self._events.message(chat, user, content, reply_to_message_id)

    def user_contact(
        self, user_id: int, phone_number: str, contact_user_id: int | None = None
    ) -> dict[str, Any]:
        user = self.world.ensure_user(user_id)
        owner = self.world.users.get(contact_user_id) if contact_user_id else None
        contact: dict[str, Any] = {
            "phone_number": phone_number,
            "first_name": (owner or user).first_name,
        }
        if contact_user_id is not None:
            contact["user_id"] = contact_user_id
            if owner is not None:
                owner.phone = phone_number
        chat = self._events.chat_for(user_id, user)
        return self._events.message(chat, user, {"contact": contact})

    def user_document(
        self,
        user_id: int,
        file_name: str,
        mime_type: str,
        size: int,
        content: bytes | None = None,
        *,
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """A document (files over 20 MB can be seen but not downloaded, as on Telegram)."""
        user = self.world.ensure_user(user_id)
        chat = self._events.chat_for(chat_id or user_id, user)
        stored = self.world.register_file(
            "documents", size, file_name=file_name, mime_type=mime_type, content=content
        )
        body: dict[str, Any] = {"document": document_wire(stored)}
        if caption:
            body["caption"] = caption
        return self._events.message(chat, user, body)

    def user_photo(
        self,
        user_id: int,
        size: int = 50_000,
        *,
        caption: str | None = None,
        chat_id: int | None = None,
        caption_entities: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """A photo (a QR code's picture is a photo like any other), in private chat or
        in the group ``chat_id``."""
        user = self.world.ensure_user(user_id)
        chat = self._events.chat_for(chat_id or user_id, user)
        largest = self.world.register_file("photos", size)
        body: dict[str, Any] = {"photo": photo_wire(self._ctx, largest)}
        if caption:
            body["caption"] = caption
        if caption_entities:
            body["caption_entities"] = caption_entities
        return self._events.message(chat, user, body)

    def user_edit(self, chat_id: int, message_id: int, text: str) -> dict[str, Any]:
        """The user edits their text message: an ``edited_message`` update."""
        key = (chat_id, message_id)
        original = self.world.user_messages.get(key)
        if original is None or key in self.world.deleted_user_messages or "text" not in original:
            raise ValueError(f"no live text message {message_id} of a user in chat {chat_id}")
        edited = {**original, "text": text, "edit_date": int(time.time())}
        edited.pop("entities", None)
        if found := command_entities(text):
            edited["entities"] = found
        self.world.user_messages[key] = edited
        return self.updates.push({"edited_message": edited})

    def set_member(self, chat_id: int, user_id: int, status: str) -> None:
        """A user's status in a group: ``creator``, ``administrator``, ``member`` …"""
        self.world.ensure_user(user_id)
        self.world.chats[chat_id].members[user_id] = status

    def members_joined(
        self, chat_id: int, user_ids: list[int], by_user_id: int | None = None
    ) -> dict[str, Any]:
        """Users join a group (by link, or added by ``by_user_id``): the service message
        with ``new_chat_members``, sent by the first of them as Telegram does."""
        users = [self.world.ensure_user(user_id) for user_id in user_ids]
        chat = self.world.chats[chat_id]
        for user in users:
            chat.members[user.id] = "member"
        sender = self.world.ensure_user(by_user_id) if by_user_id else users[0]
        body = {"new_chat_members": [user.wire() for user in users]}
        return self._events.message(self._events.chat_for(chat_id, sender), sender, body)

    def user_contact_in(self, chat_id: int, user_id: int, phone_number: str) -> dict[str, Any]:
        """A contact card shared in a group."""
        user = self.world.ensure_user(user_id)
        contact = {"phone_number": phone_number, "first_name": "客服"}
        chat = self._events.chat_for(chat_id, user)
        return self._events.message(chat, user, {"contact": contact})

    def user_sticker(self, user_id: int) -> dict[str, Any]:
        user = self.world.ensure_user(user_id)
        chat = self._events.chat_for(user_id, user)
        stored = self.world.register_file("stickers", 20_000)
        sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
            "file_size": stored.size,
        }
        return self._events.message(chat, user, {"sticker": sticker})

    def callback(
        self, user_id: int, message_chat_id: int, message_id: int, data: str
    ) -> dict[str, Any]:
        """The user presses an inline button with `data` on a live message of the bot."""
        user = self.world.ensure_user(user_id)
        return self._events.callback(user, message_chat_id, message_id, data)

    def expire_callbacks(self) -> int:
        """Every press not answered yet becomes too old to answer, as after Telegram's
        timeout (about 15 s); returns how many."""
        open_ = self.world.open_callbacks
        for query_id in open_:
            open_[query_id] = float("-inf")
        return len(open_)

    def migrate(
        self, chat_id: int, new_chat_id: int, by_user_id: int = DEFAULT_ACTOR_ID
    ) -> list[dict[str, Any]]:
        """The group becomes a supergroup: both service-message updates, in order."""
        actor = self.world.ensure_user(by_user_id)
        return self._events.migrate(chat_id, new_chat_id, actor)

    def inject_update(self, raw: dict[str, Any]) -> dict[str, Any]:
        return self.updates.push(raw)

    # -- what happened -----------------------------------------------------------------

    @property
    def sent(self) -> list[SentMessage]:
        return self.world.sent

    @property
    def messages(self) -> dict[tuple[int, int], SentMessage]:
        return self.world.messages

    @property
    def edits(self) -> list[EditRecord]:
        return self.world.edits

    @property
    def deletes(self) -> list[DeleteRecord]:
        return self.world.deletes

    @property
    def restricts(self) -> list[RestrictRecord]:
        return self.world.restricts

    def status_of(self, chat_id: int, user_id: int) -> str:
        """A user's status in a group now (``member`` unless set or changed)."""
        return self.world.chats[chat_id].members.get(user_id, "member")

    def is_deleted(self, chat_id: int, message_id: int) -> bool:
        """Whether a user's message in a chat was deleted."""
        return (chat_id, message_id) in self.world.deleted_user_messages

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        return self.world.callback_answers

    @property
    def rejections(self) -> list[Rejection]:
        return self._ctx.stats.rejections

    @property
    def count_by_status(self) -> Counter[int]:
        return self._ctx.stats.count_by_status

    @property
    def count_429(self) -> int:
        return self._ctx.stats.count_by_status[429]

    @property
    def requests(self) -> Counter[str]:
        return self._ctx.stats.requests

    @property
    def webhook_attempts(self) -> list[Attempt]:
        return self._pusher.attempts

    def pending_updates(self) -> int:
        """Updates queued and not yet confirmed (getUpdates offset) or delivered (webhook)."""
        return self.updates.pending_count

    def commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        key = json.dumps(scope or {"type": "default"}, sort_keys=True)
        return self.world.commands.get((key, language_code), [])

    def messages_in(self, chat_id: int, *, include_deleted: bool = False) -> list[SentMessage]:
        """The bot's messages in a chat as they are now, in send order."""
        return [
            msg
            for msg in self.world.by_chat.get(chat_id, [])
            if include_deleted or not msg.deleted
        ]

    def max_rate_observed(self, window: float = 1.0) -> int:
        """Most messages accepted for one token in any `window` simulated seconds."""
        return self._limits.max_rate_observed(window)

    def max_per_chat_per_minute(self, *, include_private: bool = False) -> int:
        """Most messages accepted in one group chat in any 60 simulated seconds."""
        return self._limits.max_per_chat(60.0, include_private=include_private)

    def max_per_chat(self, window: float, *, include_private: bool = True) -> int:
        return self._limits.max_per_chat(window, include_private=include_private)

    async def wait_for_deletes(self, count: int, within: float = 5.0) -> list[DeleteRecord]:
        """Wait up to `within` real seconds until the bot deleted `count` messages."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while len(self.world.deletes) < count:
            if loop.time() > deadline:
                raise TimeoutError(f"{len(self.world.deletes)} of {count} messages were deleted")
            await asyncio.sleep(0.005)
        return self.world.deletes

    async def wait_for_sent(self, count: int, within: float = 5.0) -> list[SentMessage]:
        """Wait up to `within` real seconds until `count` messages were sent in total."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while len(self.world.sent) < count:
            if loop.time() > deadline:
                raise TimeoutError(f"{len(self.world.sent)} of {count} messages were sent")
            await asyncio.sleep(0.005)
        return self.world.sent
