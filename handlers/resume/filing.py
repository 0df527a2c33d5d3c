"""After the résumé is confirmed: screening questions, then filing the application.

Filing is durable first (one Redis transaction), then the applicant hears the number,
then the recruiter gets the card, and only then the conversation ends: a replayed
update after a crash finds the same application and sends nothing twice.
"""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import Message, ReplyKeyboardRemove
from redis.exceptions import RedisError

from handlers.applications import deliver, deliver_pending
from handlers.filters import Magic, NotCommand
from handlers.resume.keyboards import screening_keyboard
from handlers.resume.prompts import ask, show_review
from handlers.resume.states import Applying
from handlers.resume.turn import Turn
from jobfeed.applications.models import ApplicationDraft, ScreeningAnswer
from jobfeed.applications.validation import normalize
from jobfeed.models import ScreeningQuestion, Vacancy

log = logging.getLogger(__name__)


def register(r: Router) -> None:
    answering = StateFilter(Applying.answering_screening)
    r.message.register(answered, answering, Magic(F.text), NotCommand())
    r.message.register(not_a_choice, answering, NotCommand())


async def proceed(turn: Turn) -> None:
    conversation = await turn.load()
    resume = conversation.resume(turn.user_id)
    if resume is None:
        await ask(turn, conversation.missing_field() or "name", conversation)
        return
    vacancy_id = conversation.vacancy_id
    vacancy = await turn.vacancies.get(vacancy_id) if vacancy_id else None
    if vacancy is None or not vacancy.is_open():
        await turn.applications.save_resume(resume)
        await turn.state.clear()
        if vacancy_id:
            text = turn.render("vacancy_unavailable")
        else:
            text = turn.render("resume_saved", retention_days=turn.retention_days)
        await turn.say(text, ReplyKeyboardRemove())
        return
    if vacancy.screening:
        conversation.answers = []
        await turn.save(conversation)
        await ask_question(turn, vacancy, 0)
        return
    await submit(turn, vacancy)


async def ask_question(turn: Turn, vacancy: Vacancy, index: int, note: str = "") -> None:
    await turn.state.set_state(Applying.answering_screening)
    question = vacancy.screening[index]
    text = turn.render(
        "screening_question", question=question, index=index + 1, total=len(vacancy.screening)
    )
    await turn.say(f"{note}\n\n{text}" if note else text, screening_keyboard(question))


def match_choice(question: ScreeningQuestion, text: str) -> str | None:
    wanted = normalize(text).lower()
    return next((c for c in question.choices if normalize(c).lower() == wanted), None)


async def answered(message: Message, turn: Turn) -> None:
    conversation = await turn.load()
    vacancy = await turn.vacancies.get(conversation.vacancy_id or "")
    if vacancy is None or not vacancy.screening:
        await proceed(turn)
        return
    index = min(len(conversation.answers), len(vacancy.screening) - 1)
    question = vacancy.screening[index]
    choice = match_choice(question, message.text or "")
    if choice is None:
        await ask_question(turn, vacancy, index, turn.render("invalid", reason="choice"))
        return
    qualified = not question.accepted or choice in question.accepted
    conversation.answers = [
        *conversation.answers[:index],
        ScreeningAnswer(question=question.text, answer=choice, qualified=qualified),
    ]
    await turn.save(conversation)
    # One disqualifying answer settles it: asking on would only waste their time.
    if qualified and index + 1 < len(vacancy.screening):
        await ask_question(turn, vacancy, index + 1)
        return
    await submit(turn, vacancy)


async def not_a_choice(message: Message, turn: Turn) -> None:
    conversation = await turn.load()
    vacancy = await turn.vacancies.get(conversation.vacancy_id or "")
    if vacancy is None or not vacancy.screening:
        await proceed(turn)
        return
    index = min(len(conversation.answers), len(vacancy.screening) - 1)
    await ask_question(turn, vacancy, index, turn.render("invalid", reason="choice"))


async def submit(turn: Turn, vacancy: Vacancy) -> None:
    conversation = await turn.load()
    resume = conversation.resume(turn.user_id)
    if resume is None:
        await ask(turn, conversation.missing_field() or "name", conversation)
        return
    draft = ApplicationDraft(
        vacancy_id=vacancy.id,
        vacancy_title=vacancy.title,
        employer=vacancy.employer,
        recruiter_id=vacancy.recruiter_id,
        resume=resume,
        consent=conversation.consent(turn.retention_days),
        screening=conversation.answers,
    )
    try:
        application = await turn.applications.submit(draft)
    except RedisError as exc:
        # Nothing is promised before Redis has the application: offer the summary again.
        log.error("Filing an application for vacancy %s failed: %s", vacancy.id, exc)
        await turn.say(turn.render("busy"))
        await show_review(turn, conversation)
        return
    log.info(
        "Application %s filed for vacancy %s (qualified: %s)",
        application.number,
        vacancy.id,
        application.qualified,
    )
    if application.qualified:
        await turn.say(turn.render("submitted", app=application), ReplyKeyboardRemove())
        bot, texts, repo, admins = turn.bot, turn.texts, turn.applications, turn.admin_ids
        if await deliver(bot, application, texts, repo, admins):
            # Telegram is reachable again: send the cards it kept back earlier.
            await deliver_pending(bot, texts, repo, admins)
    else:
        await turn.say(
            turn.render("screened_out", vacancy_title=vacancy.title), ReplyKeyboardRemove()
        )
    await turn.state.clear()
