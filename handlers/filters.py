"""Role filters; the role data reaches them by name from the Dispatcher's workflow data.

``IsRecruiter`` passes the approved ``Recruiter`` on to the handler as ``recruiter``.
"""

from __future__ import annotations

from typing import Any

from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message

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
