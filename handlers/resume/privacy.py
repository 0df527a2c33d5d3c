"""``/cancel``, ``/myresume`` and ``/forget``: the job seeker's control over their data."""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from handlers.answering import answer_press
from handlers.filters import InPrivate
from handlers.resume.keyboards import ResumeAction, forget_keyboard
from handlers.resume.states import Applying
from handlers.resume.turn import Turn, drop_buttons
from jobfeed.applications.masking import masked_resume
from jobfeed.brokers.repository import BrokerRepository
from jobfeed.matching.repository import AvailabilityRepository
from jobfeed.placements.repository import PlacementRepository

log = logging.getLogger(__name__)


def register(r: Router) -> None:
    r.message.register(cancel, Command("cancel"), InPrivate(), StateFilter(Applying))
    r.message.register(nothing_to_cancel, Command("cancel"), InPrivate(), StateFilter(None))
    r.message.register(my_resume, Command("myresume"), InPrivate())
    r.message.register(ask_forget, Command("forget"), InPrivate())
    r.callback_query.register(forget, ResumeAction.filter(F.action == "forget_yes"))
    r.callback_query.register(keep, ResumeAction.filter(F.action == "forget_no"))


async def cancel(message: Message, turn: Turn) -> None:
    await turn.state.clear()
    await turn.say(turn.render("cancelled"), ReplyKeyboardRemove())


async def nothing_to_cancel(message: Message, turn: Turn) -> None:
    await turn.say(turn.render("nothing_to_cancel"), ReplyKeyboardRemove())


async def my_resume(message: Message, turn: Turn) -> None:
    resume = await turn.applications.get_resume(turn.user_id)
    mine = await turn.applications.for_applicant(turn.user_id)
    masked = masked_resume(resume) if resume else None
    await turn.say(turn.render("myresume", resume=masked, applications=mine))


async def ask_forget(message: Message, turn: Turn) -> None:
    await turn.say(turn.render("forget_confirm"), forget_keyboard(turn.texts))


async def forget(
    query: CallbackQuery,
    turn: Turn,
    availabilities: AvailabilityRepository,
    placements: PlacementRepository,
    brokers: BrokerRepository,
) -> None:
    """Deletes the data of whoever pressed: the button carries no user id to abuse."""
    if turn.chat_id != turn.user_id:
        await answer_press(query, turn.render("expired"))
        return
    await answer_press(query)
    numbers = await turn.applications.forget(turn.user_id)
    await availabilities.forget(turn.user_id)  # the 求职意向 and what alerts remember
    await placements.forget(turn.user_id)  # the ledger keeps the rows, not the person
    await brokers.forget(turn.user_id)  # who brought them: a count without the id
    await turn.state.clear()  # the conversation's draft lives in the FSM data
    log.info("User %s forgot: %d applications scrubbed", turn.user_id, len(numbers))
    await drop_buttons(query)
    await turn.say(turn.render("forgotten", count=len(numbers)), ReplyKeyboardRemove())
    await turn.notifier.forget_cards(numbers)


async def keep(query: CallbackQuery, turn: Turn) -> None:
    await answer_press(query)
    await drop_buttons(query)
    await turn.say(turn.render("forget_kept"))
