"""The recruiter's side: the application card, its status buttons, ``/application N``.

A card goes to the vacancy's recruiter (or, without one or when unreachable, to the
admins). Only that recruiter or an admin may press its buttons or read it again; every
delivery, view and status change is written to the access log.
"""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.filters import InPrivate, Magic
from handlers.flood import patiently
from jobfeed.applications.models import (
    RECRUITER_STATUSES,
    AccessAction,
    Application,
    ApplicationStatus,
)
from jobfeed.applications.repository import ApplicationRepository
from jobfeed.texts import Texts

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


# -- delivery ---------------------------------------------------------------------------


async def deliver(
    bot: Bot,
    application: Application,
    texts: Texts,
    applications: ApplicationRepository,
    admin_ids: frozenset[int],
) -> None:
    """Send the card once (a replayed submission finds it delivered)."""
    if application.resume is None or await applications.is_delivered(application.number):
        return
    recruiter = application.recruiter_id
    delivered = False
    if recruiter is not None:
        delivered = await _send_card(bot, recruiter, application, texts, applications)
    if not delivered:
        # No recruiter, or one who never started the bot or blocked it: admins step in.
        for admin in sorted(admin_ids):
            delivered = await _send_card(bot, admin, application, texts, applications) or delivered
    if delivered:
        await applications.mark_delivered(application.number)
    else:
        log.error("Application %s reached nobody (no recruiter or admin)", application.number)


async def _send_card(
    bot: Bot,
    chat_id: int,
    application: Application,
    texts: Texts,
    applications: ApplicationRepository,
) -> bool:
    number = application.number
    try:
        message = await patiently(
            lambda: bot.send_message(
                chat_id,
                texts.render("applications.card", app=application),
                reply_markup=status_keyboard(texts, application),
            )
        )
        await applications.add_card(number, chat_id, message.message_id, "text")
        attachment = application.resume.attachment if application.resume else None
        if attachment is not None:
            caption = texts.render("applications.file_caption", number=number)
            if attachment.as_photo:
                sent = await patiently(
                    lambda: bot.send_photo(chat_id, attachment.file_id, caption=caption)
                )
            else:
                sent = await patiently(
                    lambda: bot.send_document(chat_id, attachment.file_id, caption=caption)
                )
            await applications.add_card(number, chat_id, sent.message_id, "file")
    except TelegramAPIError as exc:
        log.warning("Card of application %s not delivered to %s: %s", number, chat_id, exc)
        return False
    await applications.log_access([number], f"tg:{chat_id}", AccessAction.delivered)
    return True


async def notify_applicant(bot: Bot, texts: Texts, application: Application) -> bool:
    """Tell the applicant the new status; False when they cannot be reached."""
    applicant = application.applicant_id
    if applicant is None or application.forgotten:
        return False
    try:
        await patiently(
            lambda: bot.send_message(
                applicant,
                texts.render("applications.status_changed", app=application),
            )
        )
    except TelegramAPIError as exc:
        log.warning("Applicant of application %s not notified: %s", application.number, exc)
        return False
    return True


# -- status buttons -----------------------------------------------------------------------


async def change_status(
    query: CallbackQuery,
    callback_data: StatusAction,
    *,
    bot: Bot,
    texts: Texts,
    applications: ApplicationRepository,
    admin_ids: frozenset[int],
) -> None:
    try:
        status = ApplicationStatus(callback_data.status)
    except ValueError:
        status = None
    if status not in RECRUITER_STATUSES:
        await query.answer(texts.render("applications.button_invalid"))
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
        await query.answer(texts.render("applications.not_allowed"), show_alert=True)
        return
    actor = f"tg:{user_id}"
    updated, changed = await applications.set_status(application.number, status, actor)
    await applications.log_access([application.number], actor, AccessAction.status)
    if updated is None or not changed:
        await query.answer(texts.render("applications.status_unchanged"))
        return
    await query.answer(texts.render("applications.status_set", status=status.value))
    await notify_applicant(bot, texts, updated)
    if isinstance(query.message, Message):
        try:
            await query.message.edit_reply_markup(reply_markup=status_keyboard(texts, updated))
        except TelegramBadRequest as exc:
            log.info("Card of application %s not updated: %s", updated.number, exc)


async def invalid_button(query: CallbackQuery, texts: Texts) -> None:
    await query.answer(texts.render("applications.button_invalid"))


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
        [application.number], f"tg:{message.from_user.id}", AccessAction.viewed
    )
    if application.resume is None:
        await message.answer(texts.render("applications.forgotten_card", app=application))
        return
    await message.answer(
        texts.render("applications.card", app=application),
        reply_markup=status_keyboard(texts, application),
    )


# -- forgetting ----------------------------------------------------------------------------


async def scrub_cards(
    bot: Bot, texts: Texts, applications: ApplicationRepository, numbers: list[int]
) -> None:
    """Replace the cards of forgotten applications in the staff chats."""
    for number in numbers:
        application = await applications.get(number)
        if application is None:
            continue
        for chat_id, message_id, kind in await applications.cards(number):
            try:
                if kind == "file":
                    await bot.delete_message(chat_id, message_id)
                else:
                    await bot.edit_message_text(
                        text=texts.render("applications.forgotten_card", app=application),
                        chat_id=chat_id,
                        message_id=message_id,
                    )
            except TelegramAPIError as exc:
                # Telegram lets a bot delete only messages younger than 48 hours.
                log.warning(
                    "Card %s/%s of application %s not scrubbed: %s",
                    chat_id,
                    message_id,
                    number,
                    exc,
                )
