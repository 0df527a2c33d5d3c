"""The recruiter's side: the application card, its status buttons, ``/application N``.

A card goes to the vacancy's recruiter (or, without one or when they refuse it for good,
to the admins; a network or server error is retried, then queued to send again). Only
that recruiter or an admin may press its buttons or read it again; every delivery, view
and status change is written to the access log.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from enum import Enum
from functools import partial

from aiogram import Bot, F, Router
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNotFound,
)
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.answering import answer_press
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

# A network or server error is retried a few times, then left for a later attempt;
# only a permanent refusal (blocked, never started, no such chat) sends the card to admins.
SEND_ATTEMPTS = 3
BACKOFF = 0.5  # seconds, doubled after each failed attempt
PENDING_BATCH = 5


class Outcome(Enum):
    sent = "sent"
    refused = "refused"  # permanent: this chat cannot be reached
    later = "later"  # transient: try again later


async def deliver(
    bot: Bot,
    application: Application,
    texts: Texts,
    applications: ApplicationRepository,
    admin_ids: frozenset[int],
) -> bool:
    """Send the card once (a replayed submission finds it delivered); False when a
    transient error kept it back, in which case it is queued for ``deliver_pending``.

    Only the holder of the card's claim sends it: filings finishing together (in this
    process or others) would otherwise each send it. A card claimed elsewhere counts as
    taken care of; it stays queued until sent, so a sender that died leaves it to the
    next ``deliver_pending`` once its lease runs out.
    """
    number = application.number
    if application.resume is None:
        return True
    owner = await applications.delivery.claim(number)
    if owner is None:
        return True
    try:
        if await applications.is_delivered(number):
            return True
        await applications.mark_undelivered(number)  # queued first: we might die sending
        outcome = await _send_everywhere(bot, application, texts, applications, admin_ids)
        if outcome is Outcome.sent:
            await applications.delivery.delivered(number, owner)
        elif outcome is Outcome.later:
            log.warning("Application %s not delivered yet; queued to send again", number)
            return False
        else:
            log.error("Application %s reached nobody (no recruiter or admin)", number)
            await applications.drop_undelivered(number)
        return True
    finally:
        await applications.delivery.release(number, owner)


async def _send_everywhere(
    bot: Bot,
    application: Application,
    texts: Texts,
    applications: ApplicationRepository,
    admin_ids: frozenset[int],
) -> Outcome:
    recruiter = application.recruiter_id
    outcome = Outcome.refused
    if recruiter is not None:
        outcome = await _send_card(bot, recruiter, application, texts, applications)
    if outcome is Outcome.refused:
        # No recruiter, or one who never started the bot or blocked it: admins step in.
        outcomes = [
            await _send_card(bot, admin, application, texts, applications)
            for admin in sorted(admin_ids)
        ]
        if Outcome.sent in outcomes:
            outcome = Outcome.sent
        elif Outcome.later in outcomes:
            outcome = Outcome.later
    return outcome


async def deliver_pending(
    bot: Bot,
    texts: Texts,
    applications: ApplicationRepository,
    admin_ids: frozenset[int],
) -> None:
    """Send again the cards a transient error kept back, oldest first, stopping at the
    first that still fails (Telegram is still unwell)."""
    for number in await applications.undelivered(PENDING_BATCH):
        application = await applications.get(number)
        if application is None or application.resume is None:
            await applications.drop_undelivered(number)  # forgotten or expired meanwhile
            continue
        if not await deliver(bot, application, texts, applications, admin_ids):
            return


async def _send_card(
    bot: Bot,
    chat_id: int,
    application: Application,
    texts: Texts,
    applications: ApplicationRepository,
) -> Outcome:
    number = application.number
    # An earlier attempt may have sent part of it: send only what is missing.
    sent_kinds = {kind for chat, _, kind in await applications.cards(number) if chat == chat_id}
    if "text" not in sent_kinds:
        outcome = await _attempt(
            number,
            chat_id,
            lambda: bot.send_message(
                chat_id,
                texts.render("applications.card", app=application),
                reply_markup=status_keyboard(texts, application),
            ),
            applications,
            "text",
        )
        if outcome is not Outcome.sent:
            return outcome
        await applications.log_access([number], f"tg:{chat_id}", AccessAction.delivered)
    attachment = application.resume.attachment if application.resume else None
    if attachment is not None and "file" not in sent_kinds:
        caption = texts.render("applications.file_caption", number=number)
        send: Callable[[], Awaitable[Message]]
        if attachment.as_photo:
            send = partial(bot.send_photo, chat_id, attachment.file_id, caption=caption)
        else:
            send = partial(bot.send_document, chat_id, attachment.file_id, caption=caption)
        if await _attempt(number, chat_id, send, applications, "file") is Outcome.later:
            return Outcome.later
        # A refused file still leaves the card with the recruiter: delivered.
    return Outcome.sent


async def _attempt(
    number: int,
    chat_id: int,
    send: Callable[[], Awaitable[Message]],
    applications: ApplicationRepository,
    kind: str,
) -> Outcome:
    for attempt in range(SEND_ATTEMPTS):
        try:
            message = await patiently(send)
        except (TelegramForbiddenError, TelegramBadRequest, TelegramNotFound) as exc:
            log.warning("Card of application %s refused by %s: %s", number, chat_id, exc)
            return Outcome.refused
        except TelegramAPIError as exc:
            log.warning(
                "Card of application %s to %s failed (attempt %d): %s",
                number,
                chat_id,
                attempt + 1,
                exc,
            )
            if attempt + 1 < SEND_ATTEMPTS:
                await asyncio.sleep(BACKOFF * 2**attempt)
            continue
        await applications.add_card(number, chat_id, message.message_id, kind)
        return Outcome.sent
    return Outcome.later


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
    actor = f"tg:{user_id}"
    updated, changed = await applications.set_status(application.number, status, actor)
    await applications.log_access([application.number], actor, AccessAction.status)
    if updated is None or not changed:
        await answer_press(query, texts.render("applications.status_unchanged"))
        return
    await answer_press(query, texts.render("applications.status_set", status=status.value))
    await notify_applicant(bot, texts, updated)
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
