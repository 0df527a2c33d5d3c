"""The overview (figures and charts) and the search analytics page."""

from __future__ import annotations

from aiohttp import web

from bot.appkeys import RECRUITERS, STATS, SUBMISSIONS
from bot.dashboard.appkeys import PAGES, session_of
from bot.dashboard.charts import bar_chart, column_chart, grouped_chart
from bot.params import query_int

SEARCH_PERIODS = (1, 7, 30)


async def overview(request: web.Request) -> web.StreamResponse:
    stats = request.config_dict[STATS]
    report = await stats.report()
    hourly = await stats.deliveries_by_hour(24)
    daily = await stats.deliveries_by_day(14)
    outcomes = await stats.outcomes(7)
    funnel = await stats.funnel(8)
    charts = {
        "hourly": column_chart("hourly", [(p.label, p.value) for p in hourly], label_every=3),
        "daily": column_chart("daily", [(p.label, p.value) for p in daily], label_every=2),
        "outcomes": bar_chart("outcomes", list(outcomes.items())),
        "funnel": grouped_chart(
            "funnel",
            [(row.vacancy_id, [row.targeted, row.delivered, row.applications]) for row in funnel],
            ["targeted", "delivered", "applications"],
        ),
    }
    return request.app[PAGES].response(
        "overview.html",
        session=session_of(request),
        report=report,
        charts_data=charts,
        funnel=funnel,
        pending_vacancies=len(await request.config_dict[SUBMISSIONS].pending()),
        pending_recruiters=len(await request.config_dict[RECRUITERS].pending()),
    )


async def search(request: web.Request) -> web.StreamResponse:
    days = query_int(request, "days", default=7, low=1, high=max(SEARCH_PERIODS))
    if days not in SEARCH_PERIODS:
        days = 7
    summary = await request.config_dict[STATS].queries(days, top=20)
    per_day = [(d.day.strftime("%m-%d"), d.searches) for d in summary.days]
    zero_per_day = [(d.day.strftime("%m-%d"), d.zero_results) for d in summary.days]
    every = max(1, len(per_day) // 10)
    return request.app[PAGES].response(
        "search.html",
        session=session_of(request),
        days=days,
        periods=SEARCH_PERIODS,
        summary=summary,
        searches_chart=column_chart("searches", per_day, label_every=every),
        zero_chart=column_chart("zero", zero_per_day, label_every=every, color="#c8553d"),
    )
