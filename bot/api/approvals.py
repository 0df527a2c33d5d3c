"""``/api/approvals``, ``/api/vacancies/{id}/approve|reject|close``, ``/api/recruiters``.

The API is the admins' (bearer token): decisions are recorded with the actor ``api`` and
the recruiter is told in Telegram, exactly as when an admin presses the chat button.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from bot.api.registry import Api, ApiError
from bot.appkeys import APPROVALS, GROUPS, NOTIFIER, RECRUITERS, SUBMISSIONS, VACANCIES
from bot.params import INT64_MAX, Integer
from jobfeed import notify
from jobfeed.approvals import Outcome, Result
from jobfeed.models import Vacancy, VacancyId
from jobfeed.notify import tell_vacancy_decided
from jobfeed.roles import Recruiter, RecruiterStatus
from jobfeed.submissions import Submission

ACTOR = "api"


class VacancyPath(BaseModel):
    vacancy_id: VacancyId


class UserPath(BaseModel):
    user_id: Integer = Field(ge=1, le=INT64_MAX, description="the Telegram user id")


class PendingVacancy(BaseModel):
    vacancy: Vacancy
    submission: Submission


class Approvals(BaseModel):
    vacancies: list[PendingVacancy]
    recruiters: list[Recruiter]


class Decided(BaseModel):
    outcome: Outcome
    vacancy: Vacancy | None
    submission: Submission | None
    broadcast_id: str | None
    error: str | None = None


class CloseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    withdraw: bool = Field(default=False, strict=True)  # delete the posts, not mark 已招满


class RecruiterQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: RecruiterStatus | None = None


class RecruiterList(BaseModel):
    total: int
    recruiters: list[Recruiter]


class RecruiterDecided(BaseModel):
    changed: bool
    recruiter: Recruiter


async def _exists_unless_found(request: web.Request, result: Result, vacancy_id: str) -> None:
    """A vacancy that exists but was never submitted is a conflict, not a missing one."""
    if result.outcome is Outcome.missing and await request.app[VACANCIES].get(vacancy_id):
        raise ApiError(409, "the vacancy is not waiting for approval")


def _answer(result: Result) -> Decided:
    if result.outcome is Outcome.missing:
        raise ApiError(404, "no such submitted vacancy")
    return Decided(
        outcome=result.outcome,
        vacancy=result.vacancy,
        submission=result.submission,
        broadcast_id=result.broadcast_id,
        error=result.error,
    )


def setup(api: Api) -> None:
    @api.route(
        "GET",
        "/api/approvals",
        summary="What waits for an admin: submitted vacancies and recruiter applications",
        tag="approvals",
        response=Approvals,
    )
    async def list_approvals(request: web.Request) -> Any:
        waiting = await request.app[SUBMISSIONS].pending()
        found = {
            v.id: v for v in await request.app[VACANCIES].get_many(s.vacancy_id for s in waiting)
        }
        return Approvals(
            vacancies=[
                PendingVacancy(vacancy=found[s.vacancy_id], submission=s)
                for s in waiting
                if s.vacancy_id in found
            ],
            recruiters=await request.app[RECRUITERS].pending(),
        )

    @api.route(
        "POST",
        "/api/vacancies/{vacancy_id}/approve",
        summary="Approve a submitted vacancy: it goes active and its broadcast starts",
        tag="approvals",
        path_params=VacancyPath,
        response=Decided,
        errors={409: "the vacancy is not waiting for approval"},
    )
    async def approve_vacancy(request: web.Request, path: VacancyPath) -> Any:
        result = await request.app[APPROVALS].approve(path.vacancy_id, ACTOR)
        await _exists_unless_found(request, result, path.vacancy_id)
        if result.outcome is Outcome.done:
            await tell_vacancy_decided(
                request.app[NOTIFIER], request.app[GROUPS], result, approved=True
            )
        return _answer(result)

    @api.route(
        "POST",
        "/api/vacancies/{vacancy_id}/reject",
        summary="Reject a submitted vacancy",
        tag="approvals",
        path_params=VacancyPath,
        response=Decided,
        errors={409: "the vacancy is not waiting for approval"},
    )
    async def reject_vacancy(request: web.Request, path: VacancyPath) -> Any:
        result = await request.app[APPROVALS].reject(path.vacancy_id, ACTOR)
        await _exists_unless_found(request, result, path.vacancy_id)
        if result.outcome is Outcome.done:
            await tell_vacancy_decided(
                request.app[NOTIFIER], request.app[GROUPS], result, approved=False
            )
        return _answer(result)

    @api.route(
        "POST",
        "/api/vacancies/{vacancy_id}/close",
        summary="Close a filled vacancy; its posts are edited (已招满) or withdrawn",
        tag="approvals",
        path_params=VacancyPath,
        body=CloseRequest,
        response=Decided,
        errors={409: "the vacancy is not active"},
    )
    async def close_vacancy(request: web.Request, path: VacancyPath, body: CloseRequest) -> Any:
        result = await request.app[APPROVALS].close(
            path.vacancy_id, recruiter_id=None, actor=ACTOR, withdraw=body.withdraw
        )
        if result.outcome is Outcome.not_active:
            raise ApiError(409, "only an active vacancy can be closed")
        return _answer(result)

    @api.route(
        "GET",
        "/api/recruiters",
        summary="Recruiters and applicants for the role, newest first",
        tag="approvals",
        query=RecruiterQuery,
        response=RecruiterList,
    )
    async def list_recruiters(request: web.Request, query: RecruiterQuery) -> Any:
        everyone = await request.app[RECRUITERS].all()
        chosen = [r for r in everyone if query.status is None or r.status is query.status]
        return RecruiterList(total=len(chosen), recruiters=chosen)

    async def decide(
        request: web.Request, user_id: int, *, approve: bool, revoke: bool = False
    ) -> RecruiterDecided:
        recruiters = request.app[RECRUITERS]
        decision = (
            await recruiters.revoke(user_id, ACTOR)
            if revoke
            else await recruiters.decide(user_id, approve=approve, actor=ACTOR)
        )
        if decision.recruiter is None:
            raise ApiError(404, "no such recruiter application")
        if decision.changed:
            notice = notify.RecruiterDecided(decision.recruiter, approve)
            await request.app[NOTIFIER].tell(decision.recruiter.user_id, notice)
        return RecruiterDecided(changed=decision.changed, recruiter=decision.recruiter)

    @api.route(
        "POST",
        "/api/recruiters/{user_id}/approve",
        summary="Approve a recruiter (pending only; a repeat changes nothing)",
        tag="approvals",
        path_params=UserPath,
        response=RecruiterDecided,
    )
    async def approve_recruiter(request: web.Request, path: UserPath) -> Any:
        return await decide(request, path.user_id, approve=True)

    @api.route(
        "POST",
        "/api/recruiters/{user_id}/reject",
        summary="Reject a recruiter (pending only; a repeat changes nothing)",
        tag="approvals",
        path_params=UserPath,
        response=RecruiterDecided,
    )
    async def reject_recruiter(request: web.Request, path: UserPath) -> Any:
        return await decide(request, path.user_id, approve=False)

    @api.route(
        "POST",
        "/api/recruiters/{user_id}/revoke",
        summary="Withdraw an approved recruiter's role (they can no longer post)",
        tag="approvals",
        path_params=UserPath,
        response=RecruiterDecided,
    )
    async def revoke_recruiter(request: web.Request, path: UserPath) -> Any:
        return await decide(request, path.user_id, approve=False, revoke=True)
