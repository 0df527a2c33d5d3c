"""Admins in chat: decide on recruiters and vacancies, and read the statistics.

Commands answer in private chat only (statistics are not for group members). Decision
buttons are checked for the admin role on every press; a decision already taken (by
another admin, or the same press replayed) is reported, never repeated.
"""

from __future__ import annotations

import logging
from collections import Counter

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.answering import answer_press
from handlers.filters import InPrivate, IsAdmin
from handlers.identity import actor
from handlers.private import private_only
from handlers.staff_callbacks import RecruiterVerdict, VacancyVerdict, Verdict, drop_buttons
from jobfeed.approvals import Approvals, Outcome
from jobfeed.broadcast.plans import BroadcastPlans
from jobfeed.groups import GroupRepository
from jobfeed.matching.matchmaking import Matchmaking
from jobfeed.models import Group, GroupFilter, utcnow
from jobfeed.notify import Notifier, RecruiterDecided, tell_vacancy_decided
from jobfeed.places import Places
from jobfeed.posting import InvalidInput, parse_target
from jobfeed.roles import RecruiterRepository
from jobfeed.stats import Stats
from jobfeed.submissions import SubmissionRepository
from jobfeed.texts import Texts
from jobfeed.vacancies import VacancyRepository

log = logging.getLogger(__name__)

COMMANDS = ("stats", "groups", "broadcasts", "pending")
BROADCASTS_SHOWN = 8
PENDING_SHOWN = 10
_INACTIVE_WORDS = {"停用", "inactive", "0", "否", "no"}
_ACTIVE_WORDS = {"活跃", "active", "1", "是", "yes"}


def router() -> Router:
    r = Router(name="admins")
    r.callback_query.register(recruiter_verdict, RecruiterVerdict.filter(), IsAdmin())
    r.callback_query.register(vacancy_verdict, VacancyVerdict.filter(), IsAdmin())
    r.callback_query.register(admins_only_button, RecruiterVerdict.filter())
    r.callback_query.register(admins_only_button, VacancyVerdict.filter())
    r.message.register(
        private_only("recruiters.private_only"), Command(*COMMANDS), IsAdmin(), ~InPrivate()
    )
    r.message.register(stats, Command("stats"), IsAdmin())
    r.message.register(groups_summary, Command("groups"), IsAdmin())
    r.message.register(broadcasts_progress, Command("broadcasts"), IsAdmin())
    r.message.register(pending, Command("pending"), IsAdmin())
    r.message.register(admins_only, Command(*COMMANDS))
    return r


async def admins_only(message: Message, texts: Texts) -> None:
    await message.reply(texts.render("admins.admins_only"))


async def admins_only_button(query: CallbackQuery, texts: Texts) -> None:
    await answer_press(query, texts.render("admins.admins_only_button"), show_alert=True)


async def _conclude(query: CallbackQuery, text: str) -> None:
    """Replace the buttons of the admin's message with the outcome."""
    await answer_press(query)
    message = await drop_buttons(query)
    if message is not None:
        await message.reply(text)


# -- decisions -----------------------------------------------------------------------------


async def recruiter_verdict(
    query: CallbackQuery,
    *,
    callback_data: RecruiterVerdict,
    texts: Texts,
    recruiters: RecruiterRepository,
    notifier: Notifier,
) -> None:
    approve = callback_data.verdict is Verdict.approve
    decision = await recruiters.decide(
        callback_data.user_id,
        approve=approve,
        actor=actor(query.from_user.id),
        version=callback_data.version,
    )
    recruiter = decision.recruiter
    if recruiter is None:
        await answer_press(query, texts.render("admins.not_found"), show_alert=True)
        return
    if decision.stale:
        # A button of an earlier application: its decision must not reach this one.
        await answer_press(query, texts.render("recruiters.button_expired"), show_alert=True)
        await drop_buttons(query)
        return
    if not decision.changed:
        await answer_press(query, texts.render("admins.recruiter_already", recruiter=recruiter))
        return
    by = query.from_user.full_name
    await _conclude(
        query,
        texts.render("admins.recruiter_decided", recruiter=recruiter, approved=approve, by=by),
    )
    await notifier.tell(recruiter.user_id, RecruiterDecided(recruiter, approve))


async def vacancy_verdict(
    query: CallbackQuery,
    *,
    callback_data: VacancyVerdict,
    texts: Texts,
    approvals: Approvals,
    groups: GroupRepository,
    notifier: Notifier,
) -> None:
    who = actor(query.from_user.id)
    if callback_data.verdict is Verdict.approve:
        result = await approvals.approve(callback_data.vacancy_id, who)
    else:
        result = await approvals.reject(callback_data.vacancy_id, who)
    vacancy, submission = result.vacancy, result.submission
    if result.outcome is Outcome.missing or vacancy is None or submission is None:
        await answer_press(query, texts.render("admins.not_found"), show_alert=True)
        return
    if result.outcome is Outcome.failed:
        await answer_press(query, texts.render("admins.broadcast_failed"), show_alert=True)
        return
    if result.outcome is Outcome.already:
        await answer_press(
            query,
            texts.render("admins.vacancy_already", vacancy=vacancy, submission=submission),
            show_alert=True,
        )
        return
    by = query.from_user.full_name
    approved = callback_data.verdict is Verdict.approve
    if approved:
        await _conclude(
            query,
            texts.render(
                "admins.vacancy_approved", vacancy=vacancy, broadcast_id=result.broadcast_id, by=by
            ),
        )
    else:
        await _conclude(query, texts.render("admins.vacancy_rejected", vacancy=vacancy, by=by))
    await tell_vacancy_decided(notifier, groups, result, approved=approved)


# -- reading -------------------------------------------------------------------------------


async def stats(message: Message, *, texts: Texts, stats: Stats, matchmaking: Matchmaking) -> None:
    report = await stats.report()
    matched = await matchmaking.measured_days(utcnow(), 7)
    text = texts.render("admins.stats", report=report)
    await message.answer(text + "\n\n" + texts.render("matching.stats", days=matched))


def split_status(args: str) -> tuple[str, bool | None]:
    """Take ``状态=停用`` (or ``active=0``) out of the arguments."""
    rest, active = [], None
    for part in args.replace("＝", "=").split():
        name, _, value = part.partition("=")
        if name.lower() in {"状态", "status", "active"}:
            if value.lower() in _INACTIVE_WORDS:
                active = False
            elif value.lower() in _ACTIVE_WORDS:
                active = True
            else:
                raise InvalidInput("target_format", part)
        else:
            rest.append(part)
    return " ".join(rest), active


async def groups_summary(
    message: Message,
    *,
    command: CommandObject,
    texts: Texts,
    groups: GroupRepository,
    places: Places,
) -> None:
    args = (command.args or "").strip()
    try:
        rest, active = split_status(args)
        target = parse_target(rest, places) if rest else GroupFilter()
    except InvalidInput:
        await message.answer(texts.render("admins.groups_usage"))
        return
    everyone = await groups.all()
    # GroupFilter.matches leaves inactive groups out; the status is filtered separately.
    chosen = [
        g
        for g in everyone
        if target.matches(g.model_copy(update={"active": True}))
        and (active is None or g.active is active)
    ]
    await message.answer(render_groups(texts, chosen, args))


def render_groups(texts: Texts, chosen: list[Group], described: str) -> str:
    cities: Counter[str] = Counter(g.city or "" for g in chosen)
    industries: Counter[str] = Counter(i for g in chosen for i in g.industries)
    kinds: Counter[str] = Counter(g.kind.value for g in chosen)
    reasons: Counter[str] = Counter(g.inactive_reason or "?" for g in chosen if not g.active)
    active = sum(1 for g in chosen if g.active)
    return texts.render(
        "admins.groups_summary",
        total=len(chosen),
        active=active,
        inactive=len(chosen) - active,
        kinds=kinds.most_common(),
        cities=cities.most_common(10),
        industries=industries.most_common(10),
        reasons=reasons.most_common(),
        target=described,
    )


async def broadcasts_progress(
    message: Message, *, texts: Texts, broadcasts: BroadcastPlans
) -> None:
    _, rows = await broadcasts.recent(0, BROADCASTS_SHOWN)
    await message.answer(texts.render("admins.broadcasts", rows=rows))


async def pending(
    message: Message,
    *,
    texts: Texts,
    submissions: SubmissionRepository,
    vacancies: VacancyRepository,
    recruiters: RecruiterRepository,
) -> None:
    waiting = await submissions.pending(PENDING_SHOWN)
    found = await vacancies.get_many(s.vacancy_id for s in waiting)
    people = (await recruiters.pending())[:PENDING_SHOWN]
    rows = [
        [
            InlineKeyboardButton(
                text=texts.render("admins.button_yes", label=v.id),
                callback_data=VacancyVerdict(verdict=Verdict.approve, vacancy_id=v.id).pack(),
            ),
            InlineKeyboardButton(
                text=texts.render("admins.button_no", label=v.id),
                callback_data=VacancyVerdict(verdict=Verdict.reject, vacancy_id=v.id).pack(),
            ),
        ]
        for v in found
    ]
    rows += [
        [
            InlineKeyboardButton(
                text=texts.render("admins.button_yes", label=r.name or r.user_id),
                callback_data=RecruiterVerdict(
                    verdict=Verdict.approve, user_id=r.user_id, version=r.version
                ).pack(),
            ),
            InlineKeyboardButton(
                text=texts.render("admins.button_no", label=r.name or r.user_id),
                callback_data=RecruiterVerdict(
                    verdict=Verdict.reject, user_id=r.user_id, version=r.version
                ).pack(),
            ),
        ]
        for r in people
    ]
    await message.answer(
        texts.render("admins.pending_list", vacancies=found, recruiters=people),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=rows) if rows else None,
    )
