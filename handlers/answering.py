"""Answering a button press is best effort: the work behind the press comes first.

Telegram accepts an answer only for a while after the press (about 15 s) and only once.
A press handled late (adopted after a crash, or retried) gets "query is too old"; that
must not stop the handler from filing the application or sending the card.
"""

from __future__ import annotations

import logging

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery

log = logging.getLogger(__name__)

_EXPIRED = ("query is too old", "query id is invalid")


async def answer_press(
    query: CallbackQuery, text: str | None = None, *, show_alert: bool = False
) -> None:
    """``query.answer``, except that an expired or unknown query is skipped quietly."""
    try:
        await query.answer(text, show_alert=show_alert)
    except TelegramBadRequest as exc:
        if not any(reason in exc.message.lower() for reason in _EXPIRED):
            raise
        log.debug("Press %s not answered: %s", query.id, exc.message)
