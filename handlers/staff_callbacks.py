"""Inline-button data of recruiters and admins, as aiogram ``CallbackData`` factories.

Anyone who can see a button can press it, and Telegram delivers the data again when
it is pressed again: handlers check the presser's role and the current state of what
the button acts on, never the button itself. Malformed data fails ``unpack`` and falls
through to the "expired button" fallbacks registered with ``STAFF_PREFIXES``.
"""

from __future__ import annotations

import contextlib
from enum import StrEnum

from aiogram.exceptions import TelegramBadRequest
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, Message
from pydantic import Field

from jobfeed.models import VacancyId


class Verdict(StrEnum):
    approve = "ok"
    reject = "no"


class RecruiterVerdict(CallbackData, prefix="rv"):
    """Decides application ``version`` of the user, not whichever one is current."""

    verdict: Verdict
    user_id: int = Field(gt=0)
    version: int = Field(ge=0, lt=10**9)


class VacancyVerdict(CallbackData, prefix="vv"):
    verdict: Verdict
    vacancy_id: VacancyId


class WizardAction(StrEnum):
    submit = "submit"
    restart = "restart"
    cancel = "cancel"


class WizardButton(CallbackData, prefix="pw"):
    action: WizardAction


class CloseMode(StrEnum):
    ask = "ask"  # show the two ways of closing
    edit = "edit"  # mark the posts 已招满
    withdraw = "del"  # delete the posts
    keep = "keep"  # changed one's mind


class CloseVacancy(CallbackData, prefix="vx"):
    vacancy_id: VacancyId
    mode: CloseMode


STAFF_PREFIXES = tuple(
    f"{factory.__prefix__}:"
    for factory in (RecruiterVerdict, VacancyVerdict, WizardButton, CloseVacancy)
)


async def drop_buttons(query: CallbackQuery) -> Message | None:
    """Remove the pressed message's buttons; returns the message when it is accessible.

    A second press finds them gone already ("message is not modified"): not an error.
    """
    message = query.message
    if not isinstance(message, Message):
        return None
    if message.reply_markup is not None:
        with contextlib.suppress(TelegramBadRequest):
            await message.edit_reply_markup(reply_markup=None)
    return message
