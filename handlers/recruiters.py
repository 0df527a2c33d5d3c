"""Recruiters in chat: apply for the role, list their vacancies, see applicants, close.

Every handler here checks the role again, and the closing buttons check that the
vacancy is the presser's: buttons can be forwarded, pressed by anyone who sees them,
and replayed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.answering import answer_press
from handlers.filters import InPrivate, IsRecruiter, Magic
from handlers.identity import actor
from handlers.private import private_only
from handlers.staff_callbacks import (
    STAFF_PREFIXES,
    CloseMode,
    CloseVacancy,
    drop_buttons,
)
from jobfeed.applications.masking import masked
from jobfeed.applications.models import AccessAction
from jobfeed.applications.repository import ApplicationRepository
from jobfeed.approvals import Approvals, Outcome
from jobfeed.broadcast.models import Progress
from jobfeed.broadcast.plans import BroadcastPlans
from jobfeed.models import Vacancy, VacancyStatus
from jobfeed.notify import Notifier, RecruiterRequest
from jobfeed.posting import EMPLOYER_MAX, InvalidInput, parse_short
from jobfeed.roles import Recruiter, RecruiterRepository
from jobfeed.submissions import SubmissionRepository
from jobfeed.texts import Texts
from jobfeed.vacancies import VacancyRepository

log = logging.getLogger(__name__)

MYJOBS_LIMIT = 10


@dataclass(frozen=True, slots=True)
class JobRow:
    vacancy: Vacancy
    progress: Progress | None
    applications: int


APPLICANTS_LIMIT = 20


def router() -> Router:
    r = Router(name="recruiters")
    r.message.register(apply, Command("recruiter"), InPrivate())
    r.message.register(
        private_only("recruiters.private_only"),
        Command("recruiter", "myjobs", "applicants"),
        ~InPrivate(),
    )
    r.message.register(my_jobs, Command("myjobs"), IsRecruiter(or_admin=True))
    r.message.register(applicants, Command("applicants"), IsRecruiter(or_admin=True))
    r.message.register(recruiters_only, Command("myjobs", "applicants"))
    r.callback_query.register(close, CloseVacancy.filter(), IsRecruiter(or_admin=True))
    r.callback_query.register(recruiters_only_button, CloseVacancy.filter())
    return r


def expired_router() -> Router:
    """Last in line: staff buttons whose data did not parse, or whose handler said no."""
    r = Router(name="staff-expired")
    r.callback_query.register(expired_button, Magic(F.data.startswith(STAFF_PREFIXES)))
    return r


async def recruiters_only(message: Message, texts: Texts) -> None:
    await message.answer(texts.render("recruiters.recruiters_only"))


async def recruiters_only_button(query: CallbackQuery, texts: Texts) -> None:
    await answer_press(query, texts.render("recruiters.not_yours"), show_alert=True)


async def expired_button(query: CallbackQuery, texts: Texts) -> None:
    await answer_press(query, texts.render("recruiters.button_expired"), show_alert=True)


# -- applying for the role -----------------------------------------------------------------


async def apply(
    message: Message,
    *,
    command: CommandObject,
    texts: Texts,
    recruiters: RecruiterRepository,
    admin_ids: frozenset[int],
    notifier: Notifier,
) -> None:
    user = message.from_user
    assert user is not None  # private chats always have a sender
    if user.id in admin_ids:
        await message.answer(texts.render("recruiters.admin_needs_no_role"))
        return
    if not (command.args or "").strip():
        await message.answer(texts.render("recruiters.apply_usage"))
        return
    try:
        employer = parse_short(command.args or "", EMPLOYER_MAX)
    except InvalidInput:
        await message.answer(texts.render("recruiters.apply_invalid", limit=EMPLOYER_MAX))
        return
    recruiter, filed = await recruiters.apply(user.id, user.full_name, employer)
    if not filed:
        await message.answer(texts.render("recruiters.already_recruiter", recruiter=recruiter))
        return
    await message.answer(texts.render("recruiters.applied", recruiter=recruiter))
    await notifier.ask_admins(RecruiterRequest(recruiter))


# -- their vacancies -----------------------------------------------------------------------


async def my_jobs(
    message: Message,
    *,
    texts: Texts,
    submissions: SubmissionRepository,
    vacancies: VacancyRepository,
    broadcasts: BroadcastPlans,
    applications: ApplicationRepository,
) -> None:
    user = message.from_user
    assert user is not None  # guaranteed by IsRecruiter
    mine = await submissions.by_recruiter(user.id, MYJOBS_LIMIT)
    found = {v.id: v for v in await vacancies.get_many(s.vacancy_id for s in mine)}
    rows: list[JobRow] = []
    for submission in mine:
        vacancy = found.get(submission.vacancy_id)
        if vacancy is None:
            continue
        progress = (
            await broadcasts.progress(submission.broadcast_id) if submission.broadcast_id else None
        )
        total = await applications.count_for_vacancy(vacancy.id)
        rows.append(JobRow(vacancy, progress, total))
    if not rows:
        await message.answer(texts.render("recruiters.no_jobs"))
        return
    buttons = [
        [
            InlineKeyboardButton(
                text=texts.render("recruiters.button_close", vacancy=row.vacancy),
                callback_data=CloseVacancy(vacancy_id=row.vacancy.id, mode=CloseMode.ask).pack(),
            )
        ]
        for row in rows
        if row.vacancy.status is VacancyStatus.active
    ]
    await message.answer(
        texts.render("recruiters.my_jobs", rows=rows),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=buttons) if buttons else None,
    )


async def own_vacancy(
    message: Message,
    command: CommandObject,
    *,
    texts: Texts,
    recruiter: Recruiter | None,
    vacancies: VacancyRepository,
    usage: str,
) -> Vacancy | None:
    """The vacancy a recruiter's command names (``/applicants <id>``), if it is theirs;
    else they are told why (``usage``: the text for no id) and None."""
    user = message.from_user
    assert user is not None  # guaranteed by IsRecruiter
    vacancy_id = (command.args or "").strip()
    if not vacancy_id:
        await message.answer(texts.render(usage))
        return None
    vacancy = await vacancies.get(vacancy_id) if len(vacancy_id) <= 40 else None
    if vacancy is None:
        await message.answer(texts.render("recruiters.no_such_vacancy"))
        return None
    # An admin passes IsRecruiter with recruiter None; a recruiter sees only their own.
    if recruiter is not None and vacancy.recruiter_id != user.id:
        await message.answer(texts.render("recruiters.not_yours"))
        return None
    return vacancy


async def applicants(
    message: Message,
    *,
    command: CommandObject,
    texts: Texts,
    recruiter: Recruiter | None,
    vacancies: VacancyRepository,
    applications: ApplicationRepository,
) -> None:
    user = message.from_user
    assert user is not None  # guaranteed by IsRecruiter
    usage = "recruiters.applicants_usage"
    vacancy = await own_vacancy(
        message, command, texts=texts, recruiter=recruiter, vacancies=vacancies, usage=usage
    )
    if vacancy is None:
        return
    total, found = await applications.for_vacancy(vacancy.id, 0, APPLICANTS_LIMIT)
    await applications.log_access([a.number for a in found], actor(user.id), AccessAction.viewed)
    await message.answer(
        texts.render(
            "recruiters.applicants", vacancy=vacancy, total=total, rows=[masked(a) for a in found]
        )
    )


async def close(
    query: CallbackQuery,
    *,
    callback_data: CloseVacancy,
    texts: Texts,
    recruiter: Recruiter | None,
    vacancies: VacancyRepository,
    approvals: Approvals,
    bot: Bot,
) -> None:
    vacancy = await vacancies.get(callback_data.vacancy_id)
    if vacancy is None:
        await answer_press(query, texts.render("recruiters.no_such_vacancy"), show_alert=True)
        return
    if recruiter is not None and vacancy.recruiter_id != query.from_user.id:
        await answer_press(query, texts.render("recruiters.not_yours"), show_alert=True)
        return
    mode = callback_data.mode
    if mode is CloseMode.ask:
        await answer_press(query)
        await bot.send_message(
            query.from_user.id,
            texts.render("recruiters.close_ask", vacancy=vacancy),
            reply_markup=_close_choices(texts, vacancy.id),
        )
        return
    await drop_buttons(query)
    if mode is CloseMode.keep:
        await answer_press(query, texts.render("recruiters.close_kept"))
        return
    withdraw = mode is CloseMode.withdraw
    await answer_press(query)
    result = await approvals.close(
        vacancy.id,
        recruiter_id=None if recruiter is None else query.from_user.id,
        actor=actor(query.from_user.id),
        withdraw=withdraw,
    )
    if result.outcome is Outcome.done:
        text = texts.render(
            "recruiters.closed",
            vacancy=result.vacancy,
            withdraw=withdraw,
            posts=result.broadcast_id is not None,
        )
    elif result.outcome is Outcome.already:
        text = texts.render("recruiters.close_already", vacancy=vacancy)
    elif result.outcome is Outcome.not_active:
        text = texts.render("recruiters.close_not_active", vacancy=vacancy)
    elif result.outcome is Outcome.not_yours:
        text = texts.render("recruiters.not_yours")
    else:
        text = texts.render("recruiters.no_such_vacancy")
    await bot.send_message(query.from_user.id, text)


def _close_choices(texts: Texts, vacancy_id: str) -> InlineKeyboardMarkup:
    def button(name: str, mode: CloseMode) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            text=texts.render(f"recruiters.button_close_{name}"),
            callback_data=CloseVacancy(vacancy_id=vacancy_id, mode=mode).pack(),
        )

    return InlineKeyboardMarkup(
        inline_keyboard=[
            [button("edit", CloseMode.edit), button("withdraw", CloseMode.withdraw)],
            [button("keep", CloseMode.keep)],
        ]
    )
