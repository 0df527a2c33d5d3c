"""Who fits a recruiter's vacancy, in chat: ``/candidates <id>`` lists the job seekers
whose availability fits it (best first, with why, phones masked) with a 邀请 button each;
the seeker gets a private invitation with 报名 and 不感兴趣 buttons.

Every press is checked again: the presser must own the vacancy (or be an admin), the
person must still fit it, and each person is invited to a vacancy once."""

from __future__ import annotations

import contextlib
import html
import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.answering import answer_press
from handlers.filters import InPrivate, IsRecruiter
from handlers.identity import actor
from handlers.recruiters import own_vacancy
from jobfeed.links import Links
from jobfeed.matching.candidates import Candidate
from jobfeed.matching.invitations import Invitation
from jobfeed.matching.matchmaking import Matchmaking
from jobfeed.models import Vacancy, utcnow
from jobfeed.roles import Recruiter
from jobfeed.texts import Texts
from jobfeed.vacancies import VacancyRepository

log = logging.getLogger(__name__)

SHOWN = 10


class Invite(CallbackData, prefix="iv"):
    v: str  # vacancy id
    p: int  # the person


class Decline(CallbackData, prefix="ivx"):
    v: str


def router() -> Router:
    r = Router(name="candidates")
    r.message.register(candidates, InPrivate(), Command("candidates"), IsRecruiter(or_admin=True))
    r.message.register(recruiters_only, InPrivate(), Command("candidates"))
    r.callback_query.register(invite, Invite.filter(), IsRecruiter(or_admin=True))
    r.callback_query.register(decline, Decline.filter())
    r.callback_query.register(not_yours, Invite.filter())  # not a recruiter (any more)
    return r


async def recruiters_only(message: Message, texts: Texts) -> None:
    await message.answer(texts.render("recruiters.recruiters_only"))


async def not_yours(query: CallbackQuery, texts: Texts) -> None:
    await answer_press(query, texts.render("matching.expired"), show_alert=True)


def _label(texts: Texts, name: str, **values: object) -> str:
    return html.unescape(texts.render(f"matching.{name}", **values))


async def _own_vacancy(
    vacancies: VacancyRepository, vacancy_id: str, user: int, recruiter: Recruiter | None
) -> Vacancy | None:
    """The vacancy when the user may act on it: its recruiter, or an admin (None)."""
    vacancy = await vacancies.get(vacancy_id) if 0 < len(vacancy_id) <= 40 else None
    if vacancy is None or (recruiter is not None and vacancy.recruiter_id != user):
        return None
    return vacancy


def _buttons(texts: Texts, vacancy: Vacancy, rows: list[Candidate]) -> InlineKeyboardMarkup | None:
    buttons = []
    for n, c in enumerate(rows, 1):
        if c.invitation is not None or c.applied:
            continue
        data = Invite(v=vacancy.id, p=c.person).pack()
        if len(data.encode()) <= 64:  # Telegram's limit on callback data
            buttons.append(
                InlineKeyboardButton(text=_label(texts, "button_invite", n=n), callback_data=data)
            )
    rows_of = [buttons[i : i + 5] for i in range(0, len(buttons), 5)]
    return InlineKeyboardMarkup(inline_keyboard=rows_of) if buttons else None


async def candidates(
    message: Message,
    *,
    command: CommandObject,
    texts: Texts,
    recruiter: Recruiter | None,
    vacancies: VacancyRepository,
    matchmaking: Matchmaking,
) -> None:
    user = message.from_user
    assert user is not None  # guaranteed by IsRecruiter
    usage = "matching.candidates_usage"
    vacancy = await own_vacancy(
        message, command, texts=texts, recruiter=recruiter, vacancies=vacancies, usage=usage
    )
    if vacancy is None:
        return
    today = matchmaking.today(utcnow())
    total, rows = await matchmaking.candidates.for_vacancy(vacancy, today, SHOWN)
    await matchmaking.access.log([c.person for c in rows], actor(user.id), "candidates")
    await message.answer(
        texts.render("matching.candidates", vacancy=vacancy, total=total, rows=rows),
        reply_markup=_buttons(texts, vacancy, rows),
    )


async def invite(
    query: CallbackQuery,
    *,
    callback_data: Invite,
    texts: Texts,
    recruiter: Recruiter | None,
    vacancies: VacancyRepository,
    matchmaking: Matchmaking,
    links: Links,
    bot: Bot,
) -> None:
    user = query.from_user.id
    vacancy = await _own_vacancy(vacancies, callback_data.v, user, recruiter)
    now = utcnow()
    if vacancy is None or not vacancy.is_open(now):
        await answer_press(query, texts.render("matching.expired"), show_alert=True)
        return
    person = callback_data.p
    fits = await matchmaking.candidates.fits(vacancy, matchmaking.today(now))
    if not any(f.person == person and f.exact for f in fits):
        await answer_press(query, texts.render("matching.not_a_candidate"), show_alert=True)
        return
    invitation = Invitation(vacancy_id=vacancy.id, person=person, by=user, at=now)
    if not await matchmaking.invitations.invite(invitation, matchmaking.figures.day(now)):
        await answer_press(query, texts.render("matching.already_invited"))
        return
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=_label(texts, "button_apply"), url=await links.apply_link(vacancy.id)
                ),
                InlineKeyboardButton(
                    text=_label(texts, "button_decline"),
                    callback_data=Decline(v=vacancy.id).pack(),
                ),
            ]
        ]
    )
    try:
        await bot.send_message(
            person, texts.render("matching.invitation", vacancy=vacancy), reply_markup=markup
        )
    except (TelegramForbiddenError, TelegramBadRequest):
        log.info("Invitation to %s for %s not delivered", person, vacancy.id)
        await answer_press(query, texts.render("matching.cannot_reach"), show_alert=True)
        return
    log.info("Invitation for %s sent by %s", vacancy.id, user)
    await answer_press(query, texts.render("matching.invited"))


async def decline(
    query: CallbackQuery,
    *,
    callback_data: Decline,
    texts: Texts,
    vacancies: VacancyRepository,
    matchmaking: Matchmaking,
    bot: Bot,
) -> None:
    """Declines for whoever pressed: the button carries no person to act for."""
    person = query.from_user.id
    before = await matchmaking.invitations.get(callback_data.v, person)
    found = await matchmaking.invitations.decline(callback_data.v, person, utcnow())
    if found is None:
        await answer_press(query, texts.render("matching.expired"), show_alert=True)
        return
    await answer_press(query)
    if isinstance(query.message, Message):
        with contextlib.suppress(TelegramBadRequest):  # too old to edit, or edited already
            await query.message.edit_reply_markup(reply_markup=None)
        if before is not None and before.declined_at is None:
            await query.message.answer(texts.render("matching.declined"))
    vacancy = await vacancies.get(callback_data.v)
    if vacancy is not None and before is not None and before.declined_at is None:
        try:
            await bot.send_message(
                found.by, texts.render("matching.declined_told", vacancy=vacancy)
            )
        except (TelegramForbiddenError, TelegramBadRequest):
            log.info("Recruiter %s not told of a declined invitation", found.by)
