"""Alerts opened: an alert's 报名 button is a link that opens the chat with
``/start apply_<vacancy id>``; when the person was alerted of that vacancy, the open is
counted (the figures) and their run of unopened alerts ends (the daily cap is whole again).
An outer middleware, so it sees the message before the résumé feature takes it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Message, TelegramObject

from handlers.deeplinks import parse_apply
from jobfeed.matching.matchmaking import Matchmaking
from jobfeed.models import utcnow

START = "/start "


class AlertOpens(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, Message) and (event.text or "").startswith(START):
            link = parse_apply(event.text.removeprefix(START).strip() if event.text else None)
            making: Matchmaking | None = data.get("matchmaking")
            user = event.from_user
            if link and link.vacancy_id and making and user and event.chat.id == user.id:
                await making.figures.opened(user.id, link.vacancy_id, utcnow())
        return await handler(event, data)
