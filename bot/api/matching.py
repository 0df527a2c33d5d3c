"""``/api`` for matching: who fits a vacancy, the labour office's two lists (JSON, XLSX,
CSV), one seeker's availability (masked) and the figures of matching.

Every read of job seekers is written to the seekers' access log under the actor ``api``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from bot.api.registry import Api, ApiError
from bot.appkeys import APPLICATIONS, AVAILABILITIES, MATCHMAKING, VACANCIES
from bot.downloads import sheet_download
from bot.params import ASCII_DIGITS, INT64_MAX, Integer
from jobfeed.applications.masking import mask_phone
from jobfeed.matching.candidates import Candidate
from jobfeed.matching.export import Table, unfilled_table, unmatched_table
from jobfeed.matching.figures import DayFigures
from jobfeed.matching.reports import ReportFilter, UnfilledRow, UnmatchedRow
from jobfeed.models import VacancyId, utcnow
from jobfeed.sheets import XLSX_TYPE

ACTOR = "api"
XLSX = XLSX_TYPE
CSV = "text/csv"


class VacancyPath(BaseModel):
    vacancy_id: VacancyId


class CandidatesQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: Integer = Field(default=20, ge=1, le=200)


class CandidateList(BaseModel):
    vacancy_id: str
    total: int = Field(description="how many job seekers fit it")
    candidates: list[Candidate]


class ReportQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: Annotated[int, Field(ge=1, le=365), ASCII_DIGITS] | None = Field(
        default=None, description="N days (default REPORT_DAYS)"
    )
    city: str | None = Field(default=None, min_length=1, max_length=20)
    trade: str | None = Field(default=None, min_length=1, max_length=20)
    format: Literal["json", "xlsx", "csv"] = "json"


class UnfilledList(BaseModel):
    days: int
    total: int
    vacancies: list[UnfilledRow]


class UnmatchedList(BaseModel):
    days: int
    total: int
    seekers: list[UnmatchedRow]


class SeekerPath(BaseModel):
    seeker_id: Integer = Field(ge=1, le=INT64_MAX)


class AvailabilityOut(BaseModel):
    id: str
    trades: list[str]
    places: list[str]
    min_pay: int | None
    available_from: date
    alerts: bool
    created_at: datetime


class SeekerAvailability(BaseModel):
    seeker_id: int
    phone_masked: str | None = Field(description="from the résumé, if any")
    availabilities: list[AvailabilityOut]


class FiguresQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: Integer = Field(default=7, ge=1, le=60)


class MatchingStats(BaseModel):
    days: list[DayFigures]


def setup(api: Api) -> None:
    @api.route(
        "GET",
        "/api/vacancies/{vacancy_id}/candidates",
        summary="Job seekers whose availability fits the vacancy, best first, with why "
        "(phones masked)",
        tag="matching",
        path_params=VacancyPath,
        query=CandidatesQuery,
        response=CandidateList,
    )
    async def vacancy_candidates(
        request: web.Request, path: VacancyPath, query: CandidatesQuery
    ) -> Any:
        vacancy = await request.app[VACANCIES].get(path.vacancy_id)
        if vacancy is None:
            raise ApiError(404, "no such vacancy")
        making = request.app[MATCHMAKING]
        today = utcnow().astimezone(making.zone).date()
        total, found = await making.candidates.for_vacancy(vacancy, today, query.limit)
        await making.access.log([c.person for c in found], ACTOR, "candidates")
        return CandidateList(vacancy_id=vacancy.id, total=total, candidates=found)

    @api.route(
        "GET",
        "/api/reports/unfilled",
        summary="有活没人干: vacancies open for more than N days with few applications, each "
        "with the nearest job seekers (format=xlsx|csv: a file with Chinese headers)",
        tag="matching",
        query=ReportQuery,
        response=UnfilledList,
        files=(XLSX, CSV),
    )
    async def report_unfilled(request: web.Request, query: ReportQuery) -> Any:
        making = request.app[MATCHMAKING]
        where = _filter(query, making.report_days)
        rows = await making.reports.unfilled(utcnow(), where)
        await making.access.log({int(n.id) for r in rows for n in r.nearest}, ACTOR, "report")
        if query.format != "json":
            return _file(query.format, unfilled_table(rows), "有活没人干", "unfilled")
        return UnfilledList(days=where.days, total=len(rows), vacancies=rows)

    @api.route(
        "GET",
        "/api/reports/unmatched",
        summary="有人没活干: job seekers active in the last N days whom no open vacancy fits "
        "or whose applications went unanswered, each with the nearest vacancies "
        "(format=xlsx|csv: a file with Chinese headers)",
        tag="matching",
        query=ReportQuery,
        response=UnmatchedList,
        files=(XLSX, CSV),
    )
    async def report_unmatched(request: web.Request, query: ReportQuery) -> Any:
        making = request.app[MATCHMAKING]
        where = _filter(query, making.report_days)
        rows = await making.reports.unmatched(utcnow(), where)
        await making.access.log([r.seeker_id for r in rows], ACTOR, "report")
        if query.format != "json":
            return _file(query.format, unmatched_table(rows), "有人没活干", "unmatched")
        return UnmatchedList(days=where.days, total=len(rows), seekers=rows)

    @api.route(
        "GET",
        "/api/seekers/{seeker_id}/availability",
        summary="One job seeker's availabilities (求职意向), the résumé's phone masked",
        tag="matching",
        path_params=SeekerPath,
        response=SeekerAvailability,
    )
    async def seeker_availability(request: web.Request, path: SeekerPath) -> Any:
        theirs = await request.app[AVAILABILITIES].of_person(path.seeker_id)
        if not theirs:
            raise ApiError(404, "no availability kept for this job seeker")
        await request.app[MATCHMAKING].access.log([path.seeker_id], ACTOR, "viewed")
        resume = await request.app[APPLICATIONS].get_resume(path.seeker_id)
        return SeekerAvailability(
            seeker_id=path.seeker_id,
            phone_masked=mask_phone(resume.phone) if resume else None,
            availabilities=[
                AvailabilityOut(
                    id=a.id,
                    trades=list(a.trades),
                    places=[p.name for p in a.places],
                    min_pay=a.min_pay,
                    available_from=a.available_from,
                    alerts=a.alerts,
                    created_at=a.created_at,
                )
                for a in theirs
            ],
        )

    @api.route(
        "GET",
        "/api/stats/matching",
        summary="Per local day: alerts sent, applications from alerts, invitations and "
        "their outcomes, the sizes of both lists",
        tag="matching",
        query=FiguresQuery,
        response=MatchingStats,
    )
    async def matching_stats(request: web.Request, query: FiguresQuery) -> Any:
        making = request.app[MATCHMAKING]
        return MatchingStats(days=await making.measured_days(utcnow(), query.days))


def _filter(query: ReportQuery, default_days: int) -> ReportFilter:
    return ReportFilter(query.days or default_days, query.city, query.trade)


def _file(kind: str, table: Table, title: str, name: str) -> web.Response:
    stamp = utcnow().strftime("%Y%m%d")
    return sheet_download(kind, title, *table, f"{name}-{stamp}")
