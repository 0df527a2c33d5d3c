"""Vacancies and recruiters: status, approve or reject, close when filled."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from bot.appkeys import (
    APPLICATIONS,
    APPROVALS,
    GROUPS,
    NOTIFIER,
    RECRUITERS,
    RELEASES,
    SUBMISSIONS,
    VACANCIES,
)
from bot.dashboard.appkeys import PAGES, session_of
from bot.dashboard.render import BASE, MAX_PAGE, with_notice
from bot.params import INT64_MAX, path_int, query_int
from jobfeed.approvals import Outcome
from jobfeed.compliance.release import NotHeld
from jobfeed.models import Vacancy, VacancyStatus
from jobfeed.notify import RecruiterDecided, tell_vacancy_decided
from jobfeed.submissions import Submission

PAGE = 50


@dataclass(frozen=True, slots=True)
class Row:
    vacancy: Vacancy
    submission: Submission | None
    applications: int


async def vacancy_list(request: web.Request) -> web.StreamResponse:
    raw = request.query.get("status", "pending")
    status = VacancyStatus(raw) if raw in VacancyStatus.__members__ else None
    page = query_int(request, "page", default=1, low=1, high=MAX_PAGE)
    everything = await request.config_dict[VACANCIES].all()
    counts = {s.value: 0 for s in VacancyStatus}
    for vacancy in everything:
        counts[vacancy.status.value] += 1
    chosen = [v for v in everything if status is None or v.status is status]
    chosen.sort(key=lambda v: (v.posted_at, v.id), reverse=True)
    rows = [
        Row(
            v,
            await request.config_dict[SUBMISSIONS].get(v.id),
            await request.config_dict[APPLICATIONS].count_for_vacancy(v.id),
        )
        for v in chosen[(page - 1) * PAGE : page * PAGE]
    ]
    return request.app[PAGES].response(
        "vacancies.html",
        session=session_of(request),
        rows=rows,
        total=len(chosen),
        counts=counts,
        shown=status.value if status else "all",
        page=page,
        pages=max(1, -(-len(chosen) // PAGE)),
        here=request.path_qs,
        notice=request.query.get("notice"),
    )


async def decide_vacancy(request: web.Request) -> web.StreamResponse:
    approvals = request.config_dict[APPROVALS]
    vacancy_id = request.match_info["vacancy_id"]
    verb = request.match_info["verb"]
    actor = session_of(request).actor
    back = BASE + "/vacancies?status=pending"
    if verb == "release":
        raise web.HTTPSeeOther(
            with_notice(BASE + "/vacancies?status=held", await _release(request))
        )
    if verb == "approve":
        result = await approvals.approve(vacancy_id, actor)
    elif verb == "reject":
        result = await approvals.reject(vacancy_id, actor)
    else:
        form = await request.post()
        result = await approvals.close(
            vacancy_id, recruiter_id=None, actor=actor, withdraw=form.get("mode") == "withdraw"
        )
        back = BASE + "/vacancies?status=active"
    if result.outcome is Outcome.done and verb in ("approve", "reject"):
        await tell_vacancy_decided(
            request.config_dict[NOTIFIER],
            request.config_dict[GROUPS],
            result,
            approved=verb == "approve",
        )
    raise web.HTTPSeeOther(with_notice(back, f"{verb}_{result.outcome.value}"))


async def _release(request: web.Request) -> str:
    """Let a held vacancy through with the reason typed in; the notice to show."""
    reason = str((await request.post()).get("reason") or "").strip()[:500]
    if not reason:
        return "release_no_reason"
    try:
        released = await request.config_dict[RELEASES].release(
            request.match_info["vacancy_id"], session_of(request).actor, reason
        )
    except NotHeld:
        return "release_not_held"
    return "release_done" if released is not None else "release_missing"


async def recruiter_list(request: web.Request) -> web.StreamResponse:
    return request.app[PAGES].response(
        "recruiters.html",
        session=session_of(request),
        rows=await request.config_dict[RECRUITERS].all(),
        notice=request.query.get("notice"),
    )


async def decide_recruiter(request: web.Request) -> web.StreamResponse:
    verb = request.match_info["verb"]
    approve = verb == "approve"
    user_id = path_int(request, "user_id", low=1, high=INT64_MAX)
    actor = session_of(request).actor
    decision = (
        await request.config_dict[RECRUITERS].revoke(user_id, actor)
        if verb == "revoke"
        else await request.config_dict[RECRUITERS].decide(user_id, approve=approve, actor=actor)
    )
    if decision.changed and decision.recruiter is not None:
        told = RecruiterDecided(decision.recruiter, approve)
        await request.config_dict[NOTIFIER].tell(decision.recruiter.user_id, told)
    notice = "decided" if decision.changed else "already" if decision.recruiter else "missing"
    raise web.HTTPSeeOther(with_notice(BASE + "/recruiters", f"recruiter_{notice}"))
