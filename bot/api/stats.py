"""``/api/stats``: the figures of ``/stats`` and of the dashboard, and search analytics.

Definitions are in ``jobfeed.stats`` (and the README): periods are local days in
``TIMEZONE``; a broadcast counts in the period it started.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from bot.api.registry import Api
from bot.appkeys import MATCHMAKING, STATS
from bot.params import Integer
from jobfeed.matching.figures import DayFigures
from jobfeed.models import utcnow
from jobfeed.stats import FunnelRow, SeriesPoint, StatsReport


class StatsWithMatching(StatsReport):
    matching: list[DayFigures] = Field(
        description="the last 7 local days of matching, today last (as /api/stats/matching)"
    )


class SeriesQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    by: Literal["hour", "day"] = "hour"
    span: Integer = Field(default=24, ge=1, le=24 * 31, description="hours or days back")


class Series(BaseModel):
    by: str
    points: list[SeriesPoint]


class PeriodQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: Integer = Field(default=7, ge=1, le=60)


class Outcomes(BaseModel):
    days: int
    outcomes: dict[str, int]


class FunnelQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: Integer = Field(default=30, ge=1, le=365)
    limit: Integer = Field(default=8, ge=1, le=100)


class Funnel(BaseModel):
    vacancies: list[FunnelRow]


class SearchQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: Integer = Field(default=7, ge=1, le=60)
    top: Integer = Field(default=20, ge=1, le=200)


class SearchDay(BaseModel):
    day: date
    searches: int
    zero_results: int


class QueryCount(BaseModel):
    text: str
    count: int


class SearchStats(BaseModel):
    days: int
    searches: int
    zero_results: int
    per_day: list[SearchDay]
    top_queries: list[QueryCount]
    top_zero_result: list[QueryCount]


def setup(api: Api) -> None:
    @api.route(
        "GET",
        "/api/stats",
        summary="Today and the last 7 days: broadcasts, deliveries, failures, searches, "
        "applications; groups now; matching per day (alerts, invitations, both lists)",
        tag="stats",
        response=StatsWithMatching,
    )
    async def stats(request: web.Request) -> Any:
        report = await request.app[STATS].report()
        matched = await request.app[MATCHMAKING].measured_days(utcnow(), 7)
        return StatsWithMatching(**report.model_dump(), matching=matched)

    @api.route(
        "GET",
        "/api/stats/deliveries",
        summary="Deliveries per local hour or day, by when their broadcast started",
        tag="stats",
        query=SeriesQuery,
        response=Series,
    )
    async def deliveries(request: web.Request, query: SeriesQuery) -> Any:
        stats = request.app[STATS]
        if query.by == "hour":
            return Series(by="hour", points=await stats.deliveries_by_hour(query.span))
        return Series(by="day", points=await stats.deliveries_by_day(min(query.span, 366)))

    @api.route(
        "GET",
        "/api/stats/outcomes",
        summary="Outcomes of the period's broadcasts (delivered, failed:<reason>, skipped:...)",
        tag="stats",
        query=PeriodQuery,
        response=Outcomes,
    )
    async def outcomes(request: web.Request, query: PeriodQuery) -> Any:
        found = await request.app[STATS].outcomes(query.days)
        return Outcomes(days=query.days, outcomes=found)

    @api.route(
        "GET",
        "/api/stats/funnel",
        summary="Per vacancy recently broadcast: groups targeted, delivered, applications",
        tag="stats",
        query=FunnelQuery,
        response=Funnel,
    )
    async def funnel(request: web.Request, query: FunnelQuery) -> Any:
        rows = await request.app[STATS].funnel(query.limit, query.days)
        return Funnel(vacancies=rows)

    @api.route(
        "GET",
        "/api/stats/search",
        summary="Search analytics: searches per day, top and zero-result queries",
        tag="stats",
        query=SearchQuery,
        response=SearchStats,
    )
    async def search_stats(request: web.Request, query: SearchQuery) -> Any:
        summary = await request.app[STATS].queries(query.days, top=query.top)
        return SearchStats(
            days=query.days,
            searches=summary.searches,
            zero_results=summary.zero_results,
            per_day=[
                SearchDay(day=d.day, searches=d.searches, zero_results=d.zero_results)
                for d in summary.days
            ],
            top_queries=[QueryCount(text=q.text, count=q.count) for q in summary.top_queries],
            top_zero_result=[
                QueryCount(text=q.text, count=q.count) for q in summary.top_zero_result
            ],
        )
