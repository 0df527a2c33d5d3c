"""FAQ answers: in groups as a reply, within the search's per-group reply budget, and only
when one entry clearly fits; in private chat an answer, or an offer of a person (转人工).
A person's answer reaches the asker through the bot (``escalation``)."""

from __future__ import annotations

import logging
import re
from typing import Any

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.answering import answer_press, reply_in_group
from handlers.filters import InGroup, InPrivate, NotCommand
from handlers.groupcare.callbacks import AnswerAsker, AskHuman
from jobfeed.groupcare.escalation import Escalation, Escalations
from jobfeed.groupcare.faq import FaqEntry, FaqStore, is_question
from jobfeed.search.live import LiveIndex
from jobfeed.search.throttle import ReplyGate
from jobfeed.texts import Texts
from jobfeed.vacancies import VacancyRepository

log = logging.getLogger(__name__)

HUMAN = "转人工"
# A vacancy id the way the product gives them (R-00001): the question is for its recruiter.
_VACANCY_ID = re.compile(r"(?<![\w-])[A-Za-z][A-Za-z0-9_]*-[0-9]{3,}(?![\w-])")


class Answering(StatesGroup):
    reply = State()  # an admin writes the answer to an escalated question


def group_router() -> Router:
    r = Router(name="faq-groups")
    r.message.register(answer_in_group, InGroup(), FaqQuestion())
    return r


def private_router() -> Router:
    r = Router(name="faq-private")
    r.message.register(cancel_reply, StateFilter(Answering.reply), Command("cancel"))
    r.message.register(send_reply, StateFilter(Answering.reply), InPrivate(), NotCommand())
    r.message.register(ask_human, InPrivate(), StateFilter(None), Human())
    r.message.register(answer_in_private, InPrivate(), StateFilter(None), NotCommand(),
                       FaqQuestion(offer=True))  # fmt: skip
    r.callback_query.register(escalate, AskHuman.filter())
    r.callback_query.register(start_reply, AnswerAsker.filter())
    return r


class FaqQuestion(Filter):
    """A question an FAQ entry answers (passes ``entry``); with ``offer``, also a question
    none answers that is not a job query (``entry`` None: offer a person)."""

    def __init__(self, *, offer: bool = False) -> None:
        self.offer = offer

    async def __call__(
        self, message: Message, bot: Bot, faq_store: FaqStore, search: LiveIndex
    ) -> bool | dict[str, Any]:
        text = message.text
        if not text or text.startswith("/") or message.from_user is None:
            return False
        if not is_question(text) or _names_a_job(search, text):
            return False  # chatter, or the search's to answer
        group = message.chat.id if message.chat.type != "private" else None
        found = (await faq_store.matcher()).match(text, group)
        if found is not None:
            return {"entry": found.entry}
        if group is None or _replies_to(message, bot):
            # Recorded when asked of the bot: group chatter costs no Redis write.
            await faq_store.unanswered(text, group)
        return {"entry": None} if self.offer else False


def _replies_to(message: Message, bot: Bot) -> bool:
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == bot.id


def _names_a_job(search: LiveIndex, text: str) -> bool:
    """A trade or a place (天津有焊工吗): the search answers; 包吃住吗 alone is the FAQ's."""
    query = search.index.parse(text)
    return bool(query.concepts) or query.place is not None


class Human(Filter):
    async def __call__(self, message: Message) -> bool:
        return (message.text or "").strip().startswith(HUMAN)


async def answer_in_group(
    message: Message,
    entry: FaqEntry,
    faq_store: FaqStore,
    search_gate: ReplyGate,
    texts: Texts,
) -> None:
    assert message.from_user is not None  # FaqQuestion lets only users' messages through
    admission = await search_gate.admit(message.chat.id, message.from_user.id, message.message_id)
    if admission is None:
        return  # the group's reply budget is spent: quiet, as the search is
    answer = texts.render("groupcare.faq_answer", answer=entry.answer)
    if await reply_in_group(message, search_gate, admission, answer):
        await faq_store.count("answered")


async def answer_in_private(
    message: Message,
    entry: FaqEntry | None,
    faq_store: FaqStore,
    escalations: Escalations,
    texts: Texts,
) -> None:
    assert message.from_user is not None and message.text is not None
    if entry is not None:
        await message.answer(texts.render("groupcare.faq_answer", answer=entry.answer))
        await faq_store.count("answered")
        return
    user = message.from_user
    offered = await escalations.offer(user.id, user.full_name, message.text)
    button = InlineKeyboardButton(
        text=texts.render("groupcare.human_button"),
        callback_data=AskHuman(number=offered.number).pack(),
    )
    await message.answer(
        texts.render("groupcare.faq_offer"),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[[button]]),
    )


async def ask_human(
    message: Message,
    bot: Bot,
    *,
    escalations: Escalations,
    vacancies: VacancyRepository,
    admin_ids: frozenset[int],
    texts: Texts,
) -> None:
    assert message.from_user is not None and message.text is not None
    question = message.text.strip()[len(HUMAN) :].strip(" ：:，,")
    if not question:
        await message.answer(texts.render("groupcare.human_usage"))
        return
    user = message.from_user
    to = await _answerers(question, vacancies, admin_ids)
    opened = await escalations.ask(user.id, user.full_name, question, to)
    await _to_answerers(bot, texts, opened)
    await message.answer(texts.render("groupcare.escalated"))


async def escalate(
    query: CallbackQuery,
    callback_data: AskHuman,
    *,
    bot: Bot,
    escalations: Escalations,
    vacancies: VacancyRepository,
    admin_ids: frozenset[int],
    texts: Texts,
) -> None:
    offered = await escalations.get(callback_data.number)
    to = await _answerers(offered.question if offered else "", vacancies, admin_ids)
    opened = await escalations.escalate(callback_data.number, query.from_user.id, to)
    if opened is None:
        await answer_press(query, texts.render("groupcare.escalated_already"))
        return
    await _to_answerers(bot, texts, opened)
    await answer_press(query)
    if isinstance(query.message, Message):
        await query.message.answer(texts.render("groupcare.escalated"))


async def _answerers(
    question: str, vacancies: VacancyRepository, admin_ids: frozenset[int]
) -> list[int]:
    """The recruiter of a vacancy the question names by its id (R-00001), else the admins."""
    for token in _VACANCY_ID.findall(question)[:3]:
        vacancy = await vacancies.get(token)
        if vacancy is not None and vacancy.recruiter_id is not None:
            return [vacancy.recruiter_id]
    return sorted(admin_ids)


async def _to_answerers(bot: Bot, texts: Texts, found: Escalation) -> None:
    button = InlineKeyboardButton(
        text=texts.render("groupcare.reply_button"),
        callback_data=AnswerAsker(number=found.number).pack(),
    )
    markup = InlineKeyboardMarkup(inline_keyboard=[[button]])
    text = texts.render("groupcare.escalation_for_admins", found=found)
    for person in found.to:
        try:
            await bot.send_message(person, text, reply_markup=markup)
        except TelegramAPIError as exc:
            log.warning("Question %s not sent to an answerer: %s", found.number, exc)


async def start_reply(
    query: CallbackQuery,
    callback_data: AnswerAsker,
    *,
    state: FSMContext,
    escalations: Escalations,
    admin_ids: frozenset[int],
    texts: Texts,
) -> None:
    found = await escalations.get(callback_data.number)
    presser = query.from_user.id
    if (
        found is None
        or found.answered_by is not None
        or (presser not in found.to and presser not in admin_ids)
    ):
        await answer_press(query, texts.render("groupcare.reply_gone"))
        return
    await state.set_state(Answering.reply)
    await state.update_data(escalation=found.number)
    await answer_press(query)
    if isinstance(query.message, Message):
        await query.message.answer(texts.render("groupcare.reply_prompt", found=found))


async def send_reply(
    message: Message,
    state: FSMContext,
    bot: Bot,
    escalations: Escalations,
    texts: Texts,
) -> None:
    assert message.from_user is not None
    number = int((await state.get_data()).get("escalation", 0))
    text = (message.text or message.caption or "").strip()
    if not text:
        return
    await state.clear()
    answered = await escalations.answer(number, message.from_user.id, text)
    if answered is None:
        await message.answer(texts.render("groupcare.reply_gone"))
        return
    try:
        await bot.send_message(answered.asker, texts.render("groupcare.reply_to_asker",
                                                            found=answered))  # fmt: skip
    except TelegramAPIError as exc:
        log.warning("Answer to question %s not delivered: %s", number, exc)
    await message.answer(texts.render("groupcare.reply_sent", found=answered))


async def cancel_reply(message: Message, state: FSMContext, texts: Texts) -> None:
    await state.clear()
    await message.answer(texts.render("groupcare.reply_cancelled"))
