"""``/api/ledger`` (the 台账), ``/api/brokers/rewards`` (the monthly reward roster) and
``/api/stats/placements`` (the figures).

The bearer token is the office's: an export shows whole phone numbers and is written to
the access log, one record per placement; ``masked=true`` gives a copy to pass around.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from bot.api.registry import Api, ApiError
from bot.appkeys import APPLICATIONS, PLACEMENTS, REPORTS
from bot.downloads import sheet_download
from bot.params import Day, Integer
from jobfeed.applications.models import AccessAction
from jobfeed.placements.ledger import LedgerFilter
from jobfeed.placements.reports import Table

EXPORTER = "api"
MONTH = re.compile(r"^(19|2\d)\d{2}-(0[1-9]|1[0-2])$")


class LedgerQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # ``from`` is a Python keyword: the field is ``first``, its name in the query ``from``.
    first: Day | None = Field(default=None, alias="from", description="start dates from")
    to: Day | None = Field(default=None, description="start dates to (inclusive)")
    county: str | None = Field(default=None, min_length=1, max_length=40)
    employer: str | None = Field(default=None, min_length=1, max_length=60)
    format: Literal["xlsx", "csv"] = "xlsx"
    masked: bool = False

    def wanted(self) -> LedgerFilter:
        return LedgerFilter(self.first, self.to, self.county, self.employer)


class RewardsQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    month: str = Field(pattern=MONTH.pattern, description="YYYY-MM, local time")
    format: Literal["xlsx", "csv"] = "xlsx"
    masked: bool = False


class FiguresQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    first: Day | None = Field(default=None, alias="from")
    to: Day | None = None


class PlacementPath(BaseModel):
    number: Integer = Field(ge=1, le=10**12 - 1)


class PlacementChange(BaseModel):
    """What the office records; each field optional, ``""`` clears it."""

    model_config = ConfigDict(extra="forbid")

    start: Day | None = None
    pay: str | None = Field(default=None, max_length=20)
    training: str | None = Field(default=None, max_length=60, description="培训情况")
    insurance: str | None = Field(default=None, max_length=60, description="社保")
    subsidy: str | None = Field(default=None, max_length=60, description="补贴")


class PlacementOut(BaseModel):
    """A placement without personal data."""

    number: int
    employer: str
    trade: str
    province: str
    city: str
    start: date
    pay: str
    training: str
    insurance: str
    subsidy: str
    broker: str | None
    batch: int | None
    forgotten: bool


class Retention(BaseModel):
    stayed: int
    left: int
    unanswered: int


class Figures(BaseModel):
    placements: int
    retention: dict[str, Retention] = Field(description="by check-in month")
    rewards_owed: int = Field(description="yuan, under BROKER_REWARD_YUAN/MONTHS")


class PlacementStats(BaseModel):
    total: Figures
    by_broker: dict[str, Figures]
    by_county: dict[str, Figures] = Field(description="by the broker's area")
    by_employer: dict[str, Figures]


def sheet(table: Table, fmt: str, name: str) -> web.Response:
    return sheet_download(fmt, table.title, table.headers, table.rows, name)


def setup(api: Api) -> None:
    @api.route(
        "GET",
        "/api/ledger",
        summary="The ledger (台账): one row per placement, as XLSX or CSV with Chinese headers",
        tag="placements",
        query=LedgerQuery,
    )
    async def ledger(request: web.Request, query: LedgerQuery) -> Any:
        table = await request.app[REPORTS].ledger(query.wanted(), masked=query.masked)
        if not query.masked:
            await request.app[APPLICATIONS].log_access(
                table.numbers, EXPORTER, AccessAction.exported
            )
        return sheet(table, query.format, "台账")

    @api.route(
        "GET",
        "/api/brokers/rewards",
        summary="The month's broker-reward roster (workers who stayed), for a subsidy claim",
        tag="placements",
        query=RewardsQuery,
    )
    async def broker_rewards(request: web.Request, query: RewardsQuery) -> Any:
        table = await request.app[REPORTS].rewards(query.month, masked=query.masked)
        if not query.masked:
            await request.app[APPLICATIONS].log_access(
                table.numbers, EXPORTER, AccessAction.exported
            )
        return sheet(table, query.format, f"经纪人奖励-{query.month}")

    @api.route(
        "GET",
        "/api/stats/placements",
        summary="Placements, retention at each check-in and rewards owed: in all, per "
        "broker, per county and per employer",
        tag="stats",
        query=FiguresQuery,
        response=PlacementStats,
    )
    async def placement_stats(request: web.Request, query: FiguresQuery) -> Any:
        found = await request.app[REPORTS].figures(LedgerFilter(query.first, query.to))
        months = request.app[REPORTS].placements.months

        def one(f: Any) -> dict[str, Any]:
            return f.as_json(months)  # type: ignore[no-any-return]

        return {
            "total": one(found.total),
            "by_broker": {k: one(v) for k, v in sorted(found.by_broker.items())},
            "by_county": {k: one(v) for k, v in sorted(found.by_county.items())},
            "by_employer": {k: one(v) for k, v in sorted(found.by_employer.items())},
        }

    @api.route(
        "PATCH",
        "/api/placements/{number}",
        summary="Record the office's columns of a placement (培训情况, 社保, 补贴), or move its "
        "start and pay",
        tag="placements",
        path_params=PlacementPath,
        body=PlacementChange,
        response=PlacementOut,
    )
    async def change_placement(
        request: web.Request, path: PlacementPath, body: PlacementChange
    ) -> Any:
        placements = request.app[PLACEMENTS]
        found = await placements.get(path.number)
        if found is None:
            raise ApiError(404, "no such placement")
        if body.start is not None or body.pay is not None:
            await placements.set_start(path.number, body.start or found.start, body.pay)
        await placements.record(
            path.number,
            {
                k: v
                for k, v in body.model_dump(include={"training", "insurance", "subsidy"}).items()
                if v is not None
            },
        )
        p = await placements.get(path.number)
        assert p is not None
        return PlacementOut(
            number=p.number,
            employer=p.record.employer,
            trade=p.record.trade,
            province=p.record.province,
            city=p.record.city,
            start=p.start,
            pay=p.pay,
            training=p.training,
            insurance=p.insurance,
            subsidy=p.subsidy,
            broker=p.broker,
            batch=p.batch,
            forgotten=p.forgotten,
        )
