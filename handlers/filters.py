"""Role filters; the role data reaches them by name from the Dispatcher's workflow data.

``IsRecruiter`` passes the approved ``Recruiter`` on to the handler as ``recruiter``.
"""

from __future__ import annotations

import re
from typing import Any

from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message, TelegramObject
from magic_filter import MagicFilter

from jobfeed.roles import RecruiterRepository


class IsAdmin(Filter):
    async def __call__(self, event: Message | CallbackQuery, admin_ids: frozenset[int]) -> bool:
        user = event.from_user
        return user is not None and user.id in admin_ids


class IsRecruiter(Filter):
    """An approved recruiter; an admin passes too when ``or_admin`` (recruiter is None)."""

    def __init__(self, *, or_admin: bool = False) -> None:
        self.or_admin = or_admin

    async def __call__(
        self,
        event: Message | CallbackQuery,
        admin_ids: frozenset[int],
        recruiters: RecruiterRepository,
    ) -> bool | dict[str, Any]:
        user = event.from_user
        if user is None:
            return False
        recruiter = await recruiters.approved(user.id)
        if recruiter is not None:
            return {"recruiter": recruiter}
        if self.or_admin and user.id in admin_ids:
            return {"recruiter": None}
        return False


class InPrivate(Filter):
    async def __call__(self, event: Message | CallbackQuery) -> bool:
        message = event.message if isinstance(event, CallbackQuery) else event
        return message is not None and message.chat.type == "private"


class Magic(Filter):
    """Checks a magic filter (``F...``) inline.

    aiogram 3 runs every synchronous filter callable, magic filters included, through
    ``asyncio.to_thread``: a thread hop per check, dozens per group message. Wrapping the
    magic in an async ``Filter`` resolves it on the event loop (it is a few attribute
    reads). Use ``Magic(F.text)`` wherever a bare ``F.text`` would go.
    """

    def __init__(self, magic: MagicFilter) -> None:
        self.magic = magic

    async def __call__(self, event: TelegramObject) -> Any:
        return self.magic.resolve(event)


class InGroup(Filter):
    async def __call__(self, event: Message | CallbackQuery) -> bool:
        message = event.message if isinstance(event, CallbackQuery) else event
        return message is not None and message.chat.type in {"group", "supergroup"}


class NotCommand(Filter):
    """A message whose text is not a ``/command`` (a wizard's answer, say)."""

    async def __call__(self, message: Message) -> bool:
        return not (message.text or "").startswith("/")


class PrivateOrCommand(Filter):
    """A private message, or a group message addressed to a feature: a ``/command`` or
    text matching ``also``. As a router-level filter it keeps group chatter (most of
    the traffic) away from the handlers of private-chat features in one check."""

    def __init__(self, also: re.Pattern[str] | None = None) -> None:
        self.also = also

    async def __call__(self, message: Message) -> bool:
        if message.chat.type == "private":
            return True
        text = message.text or message.caption or ""
        return text.startswith("/") or bool(self.also and self.also.search(text))
