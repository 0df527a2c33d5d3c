"""The recruiter's side: the application card's status buttons, ``/application N``.

Only the card's recruiter or an admin may press its buttons or read it again; every view
and status change is written to the access log. Delivering the cards is the Telegram
adapter's (``bot.telegram.cards``, through the ``Notifier``).
"""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.exceptions import (
    TelegramBadRequest,
)
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.answering import answer_press
from handlers.filters import InPrivate, Magic
from handlers.identity import actor
from handlers.placements import after_hire
from jobfeed.applications.models import (
    RECRUITER_STATUSES,
    AccessAction,
    Application,
    ApplicationStatus,
)
from jobfeed.applications.repository import ApplicationRepository
from jobfeed.notify import Notifier, tell_applicant
from jobfeed.placements.checkins import PlacementNotifier
from jobfeed.placements.hiring import Hiring
from jobfeed.placements.identity import IdNumbers
from jobfeed.texts import Texts
from jobfeed.vacancies import VacancyRepository

log = logging.getLogger(__name__)


class StatusAction(CallbackData, prefix="ap"):
    number: int
    status: str


def router() -> Router:
    r = Router(name="applications")
    r.callback_query.register(change_status, StatusAction.filter())
    r.callback_query.register(invalid_button, Magic(F.data.startswith("ap:")))
    r.message.register(view, Command("application"), InPrivate())
    return r


def status_keyboard(texts: Texts, application: Application) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            text=texts.render(
                "applications.status_button",
                status=status.value,
                current=application.status.value,
            ),
            callback_data=StatusAction(number=application.number, status=status.value).pack(),
        )
        for status in RECRUITER_STATUSES
    ]
    return InlineKeyboardMarkup(inline_keyboard=[buttons[:2], buttons[2:]])


# -- status buttons -----------------------------------------------------------------------


async def change_status(
    query: CallbackQuery,
    callback_data: StatusAction,
    *,
    texts: Texts,
    applications: ApplicationRepository,
    admin_ids: frozenset[int],
    notifier: Notifier,
    hiring: Hiring,
    vacancies: VacancyRepository,
    placement_notifier: PlacementNotifier,
    id_numbers: IdNumbers | None,
) -> None:
    try:
        status = ApplicationStatus(callback_data.status)
    except ValueError:
        status = None
    if status not in RECRUITER_STATUSES:
        await answer_press(query, texts.render("applications.button_invalid"))
        return
    assert status is not None
    user_id = query.from_user.id
    application = await applications.get(callback_data.number)
    if application is None or not application.readable_by(user_id, admin_ids):
        log.warning(
            "User %s pressed a status button of application %s without the right",
            user_id,
            callback_data.number,
        )
        await answer_press(query, texts.render("applications.not_allowed"), show_alert=True)
        return
    who = actor(user_id)
    updated, changed = await applications.set_status(application.number, status, who)
    await applications.log_access([application.number], who, AccessAction.status)
    if updated is None or not changed:
        await answer_press(query, texts.render("applications.status_unchanged"))
        return
    await answer_press(query, texts.render("applications.status_set", status=status.value))
    await tell_applicant(notifier, updated)
    if status is ApplicationStatus.hired:
        message = query.message if isinstance(query.message, Message) else None
        await after_hire(
            message,
            updated,
            texts=texts,
            hiring=hiring,
            vacancies=vacancies,
            placement_notifier=placement_notifier,
            id_numbers=id_numbers,
        )
    if isinstance(query.message, Message):
        try:
            await query.message.edit_reply_markup(reply_markup=status_keyboard(texts, updated))
        except TelegramBadRequest as exc:
            log.info("Card of application %s not updated: %s", updated.number, exc)


async def invalid_button(query: CallbackQuery, texts: Texts) -> None:
    await answer_press(query, texts.render("applications.button_invalid"))


# -- reading again --------------------------------------------------------------------------


async def view(
    message: Message,
    command: CommandObject,
    *,
    texts: Texts,
    applications: ApplicationRepository,
    admin_ids: frozenset[int],
) -> None:
    assert message.from_user is not None  # private chat
    args = (command.args or "").strip().lstrip("#")
    if not args.isdigit() or len(args) > 12:
        await message.answer(texts.render("applications.view_usage"))
        return
    application = await applications.get(int(args))
    # The same answer whether it does not exist or is someone else's: no probing.
    if application is None or not application.readable_by(message.from_user.id, admin_ids):
        await message.answer(texts.render("applications.not_found"))
        return
    await applications.log_access(
        [application.number], actor(message.from_user.id), AccessAction.viewed
    )
    if application.resume is None:
        await message.answer(texts.render("applications.forgotten_card", app=application))
        return
    await message.answer(
        texts.render("applications.card", app=application),
        reply_markup=status_keyboard(texts, application),
    )
