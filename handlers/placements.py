"""Placements in chat: the start date asked of the recruiter after 已录用, ``/placed``, and
the worker's answers to the retention check-ins (还在 / 已离开 + why).

Only the placement's recruiter or an admin may set its start; only its worker may answer
its check-ins, and the first answer to each counts (a replayed press changes nothing).
"""

from __future__ import annotations

import contextlib
import logging
import re
from datetime import date, datetime, timedelta

from aiogram import F, Router
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.answering import answer_press
from handlers.filters import InPrivate, Magic
from handlers.flood import patiently
from handlers.staff_callbacks import drop_buttons
from jobfeed.applications.models import Application
from jobfeed.placements.checkins import PlacementNotifier
from jobfeed.placements.hiring import Hiring, place_and_tell
from jobfeed.placements.identity import IdNumbers, mask_id_number, valid_id_number
from jobfeed.placements.models import LEAVE_REASONS, Answer, CheckinAnswer, Placement
from jobfeed.placements.repository import PlacementRepository
from jobfeed.texts import Texts
from jobfeed.vacancies import VacancyRepository

log = logging.getLogger(__name__)

STAYED, LEFT = "s", "l"  # the two first buttons; a reason code answers 已离开
START_CHOICES = (0, 1, 2, 7)  # days from today
PAY_MAX = 20
PLACED = re.compile(r"^#?(\d{1,12})\s+(\d{4}-\d{2}-\d{2})(?:\s+(\S{1,20}))?$")


class CheckinPress(CallbackData, prefix="ck"):
    number: int
    months: int
    answer: str


class StartPress(CallbackData, prefix="ps"):
    number: int
    days: int


class IdConsent(CallbackData, prefix="idc"):
    number: int
    agree: bool


class GivingIdNumber(StatesGroup):
    typing = State()  # after the separate consent: the next message is the ID number


def router() -> Router:
    r = Router(name="placements")
    r.callback_query.register(answer_checkin, CheckinPress.filter())
    r.callback_query.register(choose_start, StartPress.filter())
    r.message.register(placed_command, Command("placed"), InPrivate())
    r.callback_query.register(id_consent, IdConsent.filter())
    r.callback_query.register(invalid_button, Magic(F.data.regexp(r"^(ck|ps|idc):")))
    r.message.register(id_cancel, Command("cancel"), StateFilter(GivingIdNumber.typing))
    r.message.register(id_number, StateFilter(GivingIdNumber.typing), InPrivate())
    return r


def checkin_keyboard(texts: Texts, placement: Placement, months: int) -> InlineKeyboardMarkup:
    def button(name: str, answer: str) -> InlineKeyboardButton:
        data = CheckinPress(number=placement.number, months=months, answer=answer).pack()
        return InlineKeyboardButton(text=texts.render(name), callback_data=data)

    return InlineKeyboardMarkup(
        inline_keyboard=[
            [button("placements.stayed_button", STAYED), button("placements.left_button", LEFT)]
        ]
    )


def reasons_keyboard(texts: Texts, number: int, months: int) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            text=texts.render("placements.reason", code=code),
            callback_data=CheckinPress(number=number, months=months, answer=code).pack(),
        )
        for code in LEAVE_REASONS
    ]
    return InlineKeyboardMarkup(inline_keyboard=[buttons[:3], buttons[3:]])


def start_keyboard(texts: Texts, number: int) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            text=texts.render("placements.start_button", days=days),
            callback_data=StartPress(number=number, days=days).pack(),
        )
        for days in START_CHOICES
    ]
    return InlineKeyboardMarkup(inline_keyboard=[buttons[:2], buttons[2:]])


async def after_hire(
    message: Message | None,
    application: Application,
    *,
    texts: Texts,
    hiring: Hiring,
    vacancies: VacancyRepository,
    placement_notifier: PlacementNotifier,
    id_numbers: IdNumbers | None,
) -> Placement | None:
    """已录用 was set: file the placement, tell the worker, ask the recruiter the start;
    when the office collects ID numbers, ask the worker's separate consent."""
    placement = await place_and_tell(hiring, vacancies, placement_notifier, application)
    if placement is None:
        return None
    if id_numbers is not None and placement.worker is not None and message is not None:
        buttons = [
            InlineKeyboardButton(
                text=texts.render(f"placements.id_{name}_button"),
                callback_data=IdConsent(number=placement.number, agree=agree).pack(),
            )
            for name, agree in (("yes", True), ("no", False))
        ]
        bot, worker = message.bot, placement.worker.person
        text = texts.render("placements.id_consent", p=placement, purpose=id_numbers.purpose)
        markup = InlineKeyboardMarkup(inline_keyboard=[buttons])

        async def ask() -> Message:
            assert bot is not None  # a handled update's message is bound to its bot
            return await bot.send_message(worker, text, reply_markup=markup)

        try:
            await patiently(ask)
        except TelegramAPIError as exc:
            log.info("ID-number consent not delivered: %s", exc.message)
    if message is not None:
        await message.answer(
            texts.render("placements.ask_start", p=placement),
            reply_markup=start_keyboard(texts, placement.number),
        )
    return placement


def _may_change(placement: Placement | None, user_id: int, admin_ids: frozenset[int]) -> bool:
    return placement is not None and (
        user_id in admin_ids or placement.record.recruiter_id == user_id
    )


async def _set_start(
    number: int,
    start: date,
    pay: str | None,
    user_id: int,
    *,
    placements: PlacementRepository,
    admin_ids: frozenset[int],
    placement_notifier: PlacementNotifier,
) -> Placement | None:
    placement = await placements.get(number)
    if placement is None or not _may_change(placement, user_id, admin_ids):
        return None
    if placement.start == start and (pay is None or pay == placement.pay):
        return placement
    await placements.set_start(number, start, pay)
    updated = await placements.get(number)
    if updated is not None and updated.worker is not None:
        await placement_notifier.placed(updated.worker.person, updated)
    return updated


async def choose_start(
    query: CallbackQuery,
    callback_data: StartPress,
    *,
    texts: Texts,
    placements: PlacementRepository,
    admin_ids: frozenset[int],
    placement_notifier: PlacementNotifier,
) -> None:
    if callback_data.days not in START_CHOICES:
        await invalid_button(query, texts)
        return
    start = placements.today() + timedelta(days=callback_data.days)
    placement = await _set_start(
        callback_data.number,
        start,
        None,
        query.from_user.id,
        placements=placements,
        admin_ids=admin_ids,
        placement_notifier=placement_notifier,
    )
    if placement is None:
        await answer_press(query, texts.render("placements.not_found"), show_alert=True)
        return
    await answer_press(query, texts.render("placements.start_set", p=placement))
    message = await drop_buttons(query)
    if message is not None:
        await message.answer(texts.render("placements.start_set", p=placement))


async def placed_command(
    message: Message,
    command: CommandObject,
    *,
    texts: Texts,
    placements: PlacementRepository,
    admin_ids: frozenset[int],
    placement_notifier: PlacementNotifier,
) -> None:
    assert message.from_user is not None  # private chat
    found = PLACED.fullmatch((command.args or "").strip())
    start: date | None = None
    if found:
        try:
            start = date.fromisoformat(found[2])
        except ValueError:
            start = None
    if found is None or start is None:
        await message.answer(texts.render("placements.placed_usage"))
        return
    placement = await _set_start(
        int(found[1]),
        start,
        found[3],
        message.from_user.id,
        placements=placements,
        admin_ids=admin_ids,
        placement_notifier=placement_notifier,
    )
    if placement is None:
        await message.answer(texts.render("placements.not_found"))
        return
    await message.answer(texts.render("placements.start_set", p=placement))


async def answer_checkin(
    query: CallbackQuery,
    callback_data: CheckinPress,
    *,
    texts: Texts,
    placements: PlacementRepository,
) -> None:
    number, months, choice = callback_data.number, callback_data.months, callback_data.answer
    placement = await placements.get(number)
    if placement is None or placement.worker is None or placement.checkin(months) is None:
        await invalid_button(query, texts)
        return
    if placement.worker.person != query.from_user.id:
        await answer_press(query, texts.render("placements.not_yours"), show_alert=True)
        return
    if choice == LEFT:
        await answer_press(query)
        message = await drop_buttons(query)
        if message is not None:
            await message.answer(
                texts.render("placements.why_left"),
                reply_markup=reasons_keyboard(texts, number, months),
            )
        return
    if choice != STAYED and choice not in LEAVE_REASONS:
        await invalid_button(query, texts)
        return
    answer = CheckinAnswer(
        answer=Answer.stayed if choice == STAYED else Answer.left,
        reason="" if choice == STAYED else choice,
        at=placements.clock(),
    )
    recorded = await placements.answer(number, months, answer)
    await drop_buttons(query)
    if recorded != 1:
        await answer_press(query, texts.render("placements.answered_before"))
        return
    await answer_press(query)
    name = "placements.thanks_stayed" if choice == STAYED else "placements.thanks_left"
    if isinstance(query.message, Message):
        await query.message.answer(texts.render(name))


async def invalid_button(query: CallbackQuery, texts: Texts) -> None:
    await answer_press(query, texts.render("applications.button_invalid"))


async def id_consent(
    query: CallbackQuery,
    callback_data: IdConsent,
    state: FSMContext,
    *,
    texts: Texts,
    placements: PlacementRepository,
    id_numbers: IdNumbers | None,
) -> None:
    placement = await placements.get(callback_data.number)
    if id_numbers is None or placement is None or placement.worker is None:
        await invalid_button(query, texts)
        return
    if placement.worker.person != query.from_user.id:
        await answer_press(query, texts.render("placements.not_yours"), show_alert=True)
        return
    await answer_press(query)
    message = await drop_buttons(query)
    if message is None:
        return
    if not callback_data.agree:
        await message.answer(texts.render("placements.id_declined"))
        return
    await state.set_state(GivingIdNumber.typing)
    await state.update_data(id_for=placement.number, id_consented=placements.clock().isoformat())
    await message.answer(texts.render("placements.id_ask"))


async def id_number(
    message: Message,
    state: FSMContext,
    *,
    texts: Texts,
    id_numbers: IdNumbers | None,
) -> None:
    data = await state.get_data()
    value = valid_id_number(message.text or "")
    with contextlib.suppress(TelegramBadRequest):
        await message.delete()  # the number does not stay in the chat history
    if id_numbers is None or "id_for" not in data:
        await state.clear()
        return
    if value is None:
        await message.answer(texts.render("placements.id_invalid"))
        return
    consented = datetime.fromisoformat(data["id_consented"])
    await id_numbers.store(int(data["id_for"]), value, consented)
    await state.clear()
    await message.answer(texts.render("placements.id_saved", masked=mask_id_number(value)))


async def id_cancel(message: Message, state: FSMContext, *, texts: Texts) -> None:
    await state.clear()
    await message.answer(texts.render("placements.id_declined"))
