"""Answering a button press is best effort: the work behind the press comes first; an
answer in a group goes out within the group's reply budget (``reply_in_group``).

Telegram accepts an answer only for a while after the press (about 15 s) and only once.
A press handled late (adopted after a crash, or retried) gets "query is too old"; that
must not stop the handler from filing the application or sending the card.
"""

from __future__ import annotations

import logging

from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramRetryAfter
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from jobfeed.search.throttle import Admission, ReplyGate

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


async def reply_in_group(
    message: Message,
    gate: ReplyGate,
    admission: Admission,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> bool:
    """Reply to ``message`` with what ``gate`` admitted: the reply reports its arrival to
    the send budget, one that did not go out gives its slot back, and a 429 holds back
    broadcasts and answers alike. True if it went out."""
    try:
        await message.reply(text, reply_markup=markup)
    except TelegramRetryAfter as exc:
        await gate.penalize(exc.retry_after)
        log.warning("Answer in %s got 429 (retry after %s s)", message.chat.id, exc.retry_after)
        return False
    except TelegramAPIError as exc:
        await gate.unused(admission)
        log.warning("Answer in %s failed: %s", message.chat.id, exc)
        return False
    await gate.sent(admission)
    return True
