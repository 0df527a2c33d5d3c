"""The placements page: figures and charts (per broker, county and employer), the ledger's
newest rows (phones masked), and the office's exports (whole phones, in the access log)."""

from __future__ import annotations

import re

from aiohttp import web

from bot.api.ledger import sheet
from bot.appkeys import APPLICATIONS, REPORTS
from bot.dashboard.appkeys import PAGES, session_of
from bot.dashboard.charts import bar_chart, grouped_chart
from jobfeed.applications.models import AccessAction
from jobfeed.models import utcnow
from jobfeed.placements.ledger import LedgerFilter

ROWS_SHOWN = 50
MONTH = re.compile(r"^(19|2\d)\d{2}-(0[1-9]|1[0-2])$")


async def placements_page(request: web.Request) -> web.StreamResponse:
    reports = request.config_dict[REPORTS]
    found = await reports.figures(LedgerFilter())
    months = reports.placements.months
    brokers = {b.code: b for b in await reports.brokers.approved()}
    table = await reports.ledger(LedgerFilter(), masked=True)
    total = found.total
    charts = {
        "brokers": bar_chart(
            "brokers",
            [
                (brokers[c].name if c in brokers else c, f.placements)
                for c, f in sorted(found.by_broker.items(), key=lambda i: -i[1].placements)
            ][:15],
        ),
        "employers": bar_chart(
            "employers",
            [
                (name, f.placements)
                for name, f in sorted(found.by_employer.items(), key=lambda i: -i[1].placements)
            ][:15],
        ),
        "retention": grouped_chart(
            "retention",
            [(f"{m}个月", [total.stayed[m], total.left[m], total.unanswered[m]]) for m in months],
            ["还在", "已离开", "未回复"],
        ),
    }
    month = utcnow().astimezone(reports.placements.zone).strftime("%Y-%m")
    return request.app[PAGES].response(
        "placements.html",
        session=session_of(request),
        figures=found,
        months=months,
        brokers=brokers,
        charts_data=charts,
        headers=table.headers,
        rows=table.rows[-ROWS_SHOWN:][::-1],
        total_rows=table.size,
        month=month,
        rule=reports.rule,
    )


async def export_ledger(request: web.Request) -> web.StreamResponse:
    """The whole ledger for the office: whole phones, every row's read logged."""
    fmt = "csv" if request.query.get("format") == "csv" else "xlsx"
    table = await request.config_dict[REPORTS].ledger(LedgerFilter(), masked=False)
    await _logged(request, table.numbers)
    return sheet(table, fmt, "台账")


async def export_rewards(request: web.Request) -> web.StreamResponse:
    month = request.query.get("month", "")
    if not MONTH.fullmatch(month):
        raise web.HTTPBadRequest(text="month is YYYY-MM")
    table = await request.config_dict[REPORTS].rewards(month, masked=False)
    await _logged(request, table.numbers)
    return sheet(table, "xlsx", f"经纪人奖励-{month}")


async def _logged(request: web.Request, numbers: list[int]) -> None:
    who = f"web:{session_of(request).account}"
    await request.config_dict[APPLICATIONS].log_access(numbers, who, AccessAction.exported)
