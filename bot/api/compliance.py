"""The post checker's side of the API: release a held vacancy (with a reason, audited),
read the audit log, and check a text without saving anything."""

from __future__ import annotations

from typing import Annotated, Any

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, StrictStr, StringConstraints

from bot.api.registry import Api, ApiError
from bot.appkeys import AUDIT, RELEASES
from bot.params import MAX_OFFSET, Integer
from jobfeed.compliance.audit import AuditEntry
from jobfeed.compliance.release import NotHeld
from jobfeed.models import Vacancy, VacancyId

ACTOR = "api"


class VacancyPath(BaseModel):
    vacancy_id: VacancyId


class ReleaseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", regex_engine="python-re")

    reason: Annotated[StrictStr, StringConstraints(min_length=1, max_length=500, pattern=r"\S")]
    by: Annotated[StrictStr, StringConstraints(min_length=1, max_length=60)] | None = None


class AuditQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    offset: Integer = Field(default=0, ge=0, le=MAX_OFFSET)
    limit: Integer = Field(default=50, ge=1, le=500)


class AuditList(BaseModel):
    total: int
    entries: list[AuditEntry]


def setup(api: Api) -> None:
    @api.route(
        "POST",
        "/api/vacancies/{vacancy_id}/release",
        summary="Let a held vacancy through, with a reason (recorded in the audit log)",
        tag="vacancies",
        path_params=VacancyPath,
        body=ReleaseRequest,
        response=Vacancy,
        errors={404: "no such vacancy", 409: "the vacancy is not held"},
    )
    async def release_vacancy(
        request: web.Request, path: VacancyPath, body: ReleaseRequest
    ) -> Any:
        actor = f"{ACTOR}:{body.by}" if body.by else ACTOR
        try:
            released = await request.app[RELEASES].release(path.vacancy_id, actor, body.reason)
        except NotHeld as exc:
            raise ApiError(409, str(exc)) from None
        if released is None:
            raise ApiError(404, "no such vacancy")
        return released

    @api.route(
        "GET",
        "/api/audit",
        summary="The audit log, newest first (e.g. held vacancies released, and why)",
        tag="vacancies",
        query=AuditQuery,
        response=AuditList,
    )
    async def audit_log(request: web.Request, query: AuditQuery) -> Any:
        total, entries = await request.app[AUDIT].recent(query.offset, query.limit)
        return AuditList(total=total, entries=entries)
