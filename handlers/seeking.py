"""找活 in a group: ``找活 电焊工 通辽 8000`` gets a tidy card (trade, place, pay; nothing
personal) with two buttons. 确认登记 opens the private chat, where the poster sees what
will be kept and agrees (the 求职意向 consent of ``handlers.alerts``); nothing is kept
before that. 邀请TA报名 is for recruiters: once the poster has agreed, the recruiter gets,
in private, their open vacancies that fit with an invite button each
(``handlers.candidates``)."""

from __future__ import annotations

import html
import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError, TelegramRetryAfter
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.alerts.subscribing import kept_id
from handlers.answering import answer_press
from handlers.candidates import Invite
from handlers.filters import InPrivate, Magic
from handlers.identity import actor
from jobfeed.links import Links
from jobfeed.matching.matchmaking import Matchmaking
from jobfeed.matching.models import AvailabilityConsent, from_query, seeking_text, start_date
from jobfeed.matching.repository import AvailabilityRepository
from jobfeed.models import utcnow
from jobfeed.places import Places
from jobfeed.roles import RecruiterRepository
from jobfeed.search.saved import MAX_TEXT, SavedSearch
from jobfeed.search.service import SearchService
from jobfeed.search.throttle import ReplyGate
from jobfeed.submissions import SubmissionRepository
from jobfeed.texts import Texts
from jobfeed.vacancies import VacancyRepository

log = logging.getLogger(__name__)

SEEKING_WORD = r"^\s*找活(?:\s|$)"
RECRUITER_VACANCIES = 50  # of a recruiter's newest, looked at for a card


class CardInvite(CallbackData, prefix="zh"):
    t: str  # the saved search the card was made from
    p: int  # who posted it


def router() -> Router:
    r = Router(name="seeking")
    r.message.register(card, ~InPrivate(), Magic(F.text.regexp(SEEKING_WORD)))
    r.callback_query.register(invite_from_card, CardInvite.filter())
    return r


def _label(texts: Texts, name: str) -> str:
    return html.unescape(texts.render(f"matching.{name}"))


async def card(
    message: Message,
    *,
    texts: Texts,
    search_service: SearchService,
    search_gate: ReplyGate,
    places: Places,
    links: Links,
    availabilities: AvailabilityRepository,
) -> None:
    user = message.from_user
    if user is None or user.is_bot:
        return
    today = utcnow().astimezone(availabilities.zone).date()
    # The start first: 2028-01-07 is no pay of 2028. The saved text keeps it for the
    # consent in private chat, which reads the wish again.
    start, rest = start_date((message.text or "").strip()[2:], today)
    wish = seeking_text(rest)[:MAX_TEXT]
    text = f"{wish} {start.isoformat()}起" if start else wish
    preview = from_query(
        search_service.parse(wish),
        person=user.id,
        places=places,
        city=None,
        min_pay=None,
        consent=AvailabilityConsent(retention_days=availabilities.retention_days),
        today=today,
        start=start,
    )
    admission = await search_gate.admit(message.chat.id, user.id, message.message_id)
    if admission is None:
        return  # the group's reply budget is spent: no card this time
    markup = None
    if preview is None:
        reply = texts.render("matching.card_usage")
    else:
        token = await search_service.save(SavedSearch(text=text))
        reply = texts.render("matching.card", a=preview)
        invite = CardInvite(t=token, p=user.id).pack()
        markup = InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(
                        text=_label(texts, "button_card_confirm"),
                        url=await links.alert_link(token),
                    )
                ],
                [
                    InlineKeyboardButton(
                        text=_label(texts, "button_card_invite"), callback_data=invite
                    )
                ],
            ]
        )
    try:
        await message.reply(reply, reply_markup=markup)
    except TelegramRetryAfter as exc:
        await search_gate.penalize(exc.retry_after)
    except TelegramAPIError as exc:
        await search_gate.unused(admission)
        log.warning("找活 card in %s failed: %s", message.chat.id, exc)


async def invite_from_card(
    query: CallbackQuery,
    *,
    callback_data: CardInvite,
    texts: Texts,
    recruiters: RecruiterRepository,
    submissions: SubmissionRepository,
    vacancies: VacancyRepository,
    availabilities: AvailabilityRepository,
    matchmaking: Matchmaking,
    bot: Bot,
) -> None:
    presser = query.from_user.id
    if await recruiters.approved(presser) is None:
        await answer_press(query, texts.render("matching.card_recruiters_only"), show_alert=True)
        return
    wish = await availabilities.get(kept_id(callback_data.p, callback_data.t))
    if wish is None or wish.person != callback_data.p:
        await answer_press(query, texts.render("matching.card_not_confirmed"), show_alert=True)
        return
    now = utcnow()
    today = matchmaking.today(now)
    mine = await submissions.by_recruiter(presser, RECRUITER_VACANCIES)
    fitting = []
    for vacancy in await vacancies.get_many(s.vacancy_id for s in mine):
        if vacancy.is_open(now) and vacancy.recruiter_id == presser:
            fits = await matchmaking.candidates.fits(vacancy, today)
            if any(f.person == wish.person and f.exact for f in fits):
                fitting.append(vacancy)
    if not fitting:
        await answer_press(
            query, texts.render("matching.card_no_fitting_vacancy"), show_alert=True
        )
        return
    buttons = [
        InlineKeyboardButton(
            text=html.unescape(texts.render("matching.button_invite", n=n)),
            callback_data=Invite(v=v.id, p=wish.person).pack(),
        )
        for n, v in enumerate(fitting[:10], 1)
    ]
    try:
        await bot.send_message(
            presser,
            texts.render("matching.card_vacancies", a=wish, rows=fitting[:10]),
            reply_markup=InlineKeyboardMarkup(
                inline_keyboard=[row for row in (buttons[:5], buttons[5:]) if row]
            ),
        )
    except TelegramForbiddenError:
        await answer_press(
            query, texts.render("matching.card_open_private_first"), show_alert=True
        )
        return
    await matchmaking.access.log([wish.person], actor(presser), "card")
    await answer_press(query, texts.render("matching.card_sent_privately"))
