"""Matching for the labour office: the two lists (有活没人干, 有人没活干) filtered by days,
place and trade, each with its nearest matches and XLSX/CSV downloads; who fits one
vacancy; the figures per day. Reads of job seekers are written to their access log."""

from __future__ import annotations

from aiohttp import web

from bot.appkeys import MATCHMAKING, VACANCIES
from bot.dashboard.appkeys import PAGES, session_of
from bot.downloads import sheet_download
from bot.params import BadInput, query_int
from jobfeed.matching.candidates import Candidate
from jobfeed.matching.export import unfilled_table, unmatched_table
from jobfeed.matching.reports import ReportFilter, UnfilledRow, UnmatchedRow
from jobfeed.models import utcnow

KINDS = {"unfilled": "有活没人干", "unmatched": "有人没活干"}
FIGURE_DAYS = 7


def _filter(request: web.Request, default_days: int) -> tuple[str, ReportFilter]:
    kind = request.query.get("kind", "unfilled")
    if kind not in KINDS:
        raise BadInput("kind", "must be unfilled or unmatched")
    days = query_int(request, "days", default=default_days, low=1, high=365)
    city = request.query.get("city", "").strip()[:20] or None
    trade = request.query.get("trade", "").strip()[:20] or None
    return kind, ReportFilter(days, city, trade)


async def _rows(
    request: web.Request, kind: str, where: ReportFilter
) -> list[UnfilledRow] | list[UnmatchedRow]:
    making = request.config_dict[MATCHMAKING]
    actor = session_of(request).actor
    if kind == "unfilled":
        unfilled = await making.reports.unfilled(utcnow(), where)
        people = {int(n.id) for r in unfilled for n in r.nearest}
        await making.access.log(people, actor, "report")
        return unfilled
    unmatched = await making.reports.unmatched(utcnow(), where)
    await making.access.log([r.seeker_id for r in unmatched], actor, "report")
    return unmatched


async def matching_page(request: web.Request) -> web.StreamResponse:
    making = request.config_dict[MATCHMAKING]
    kind, where = _filter(request, making.report_days)
    rows = await _rows(request, kind, where)
    vacancy_id = request.query.get("vacancy", "").strip()[:40]
    vacancy, total, candidates = None, 0, list[Candidate]()
    if vacancy_id:
        vacancy = await request.config_dict[VACANCIES].get(vacancy_id)
        if vacancy is not None:
            today = making.today(utcnow())
            total, candidates = await making.candidates.for_vacancy(vacancy, today, 50)
            people = [c.person for c in candidates]
            await making.access.log(people, session_of(request).actor, "candidates")
    figures = await making.measured_days(utcnow(), FIGURE_DAYS)
    query = request.query_string
    return request.app[PAGES].response(
        "matching.html",
        session=session_of(request),
        kind=kind,
        kinds=KINDS,
        where=where,
        rows=rows,
        figures=figures,
        vacancy_id=vacancy_id,
        vacancy=vacancy,
        total=total,
        candidates=candidates,
        query=query,
    )


async def matching_export(request: web.Request) -> web.StreamResponse:
    making = request.config_dict[MATCHMAKING]
    kind, where = _filter(request, making.report_days)
    fmt = request.match_info["format"]
    rows = await _rows(request, kind, where)
    if kind == "unfilled":
        table = unfilled_table([r for r in rows if isinstance(r, UnfilledRow)])
    else:
        table = unmatched_table([r for r in rows if isinstance(r, UnmatchedRow)])
    stamp = utcnow().strftime("%Y%m%d")
    return sheet_download(fmt, KINDS[kind], *table, f"{kind}-{stamp}")
