"""Broadcasts: the list with progress, one broadcast's per-group outcomes, CSV export."""

from __future__ import annotations

import csv
import io
import re

from aiohttp import web

from bot.appkeys import GROUPS, PLANS, VACANCIES
from bot.dashboard.appkeys import PAGES, session_of
from bot.dashboard.render import MAX_PAGE
from bot.params import query_int
from jobfeed.broadcast.models import GroupOutcome

PAGE = 50
STATES = ("delivered", "failed", "skipped", "pending")
_ID = re.compile(r"[0-9]{1,19}")
_PENDING = {"queued", "held", "sending"}


async def broadcast_list(request: web.Request) -> web.StreamResponse:
    page = query_int(request, "page", default=1, low=1, high=MAX_PAGE)
    store = request.config_dict[PLANS]
    total, rows = await store.recent((page - 1) * PAGE, PAGE)
    targets = {}
    for progress in rows:
        broadcast = await store.get(progress.id)
        targets[progress.id] = broadcast.target if broadcast else None
    return request.app[PAGES].response(
        "broadcasts.html",
        session=session_of(request),
        rows=rows,
        targets=targets,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE)),
    )


def matches(outcome: GroupOutcome, state: str | None, reason: str | None) -> bool:
    if state == "pending":
        if outcome.state not in _PENDING:
            return False
    elif state and outcome.state != state:
        return False
    return not reason or outcome.reason == reason


async def _selected(
    request: web.Request,
) -> tuple[str, list[GroupOutcome], str | None, str | None]:
    broadcast_id = request.match_info["broadcast_id"]
    if not _ID.fullmatch(broadcast_id):
        raise web.HTTPNotFound()
    outcomes = await request.config_dict[PLANS].outcomes(broadcast_id)
    state = request.query.get("state") or None
    state = state if state in STATES else None
    reason = request.query.get("reason") or None
    return broadcast_id, outcomes, state, reason


async def broadcast_detail(request: web.Request) -> web.StreamResponse:
    broadcast_id, outcomes, state, reason = await _selected(request)
    progress = await request.config_dict[PLANS].progress(broadcast_id)
    broadcast = await request.config_dict[PLANS].get(broadcast_id)
    if progress is None or broadcast is None:
        raise web.HTTPNotFound()
    reasons = sorted({o.reason for o in outcomes if o.reason})
    shown = [o for o in outcomes if matches(o, state, reason)]
    titles = {(g.channel, g.chat_id): g.title for g in await request.config_dict[GROUPS].all()}
    return request.app[PAGES].response(
        "broadcast.html",
        session=session_of(request),
        progress=progress,
        target=broadcast.target,
        outcomes=shown,
        total=len(outcomes),
        titles=titles,
        state=state,
        reason=reason,
        reasons=reasons,
        states=STATES,
        vacancies=await request.config_dict[VACANCIES].get_many(progress.vacancy_ids),
    )


async def broadcast_csv(request: web.Request) -> web.StreamResponse:
    broadcast_id, outcomes, state, reason = await _selected(request)
    if await request.config_dict[PLANS].progress(broadcast_id) is None:
        raise web.HTTPNotFound()
    titles = {(g.channel, g.chat_id): g.title for g in await request.config_dict[GROUPS].all()}
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 (Chinese titles) only with a BOM
    writer = csv.writer(out)
    writer.writerow(["chat_id", "title", "state", "reason", "message_id", "posted_in"])
    for o in outcomes:
        if matches(o, state, reason):
            title = titles.get((o.channel, o.chat_id), "")
            # A leading = + - @ would make a spreadsheet run the cell as a formula.
            safe_title = "'" + title if title[:1] in ("=", "+", "-", "@") else title
            writer.writerow(
                [
                    o.chat_id,
                    safe_title,
                    o.state,
                    o.reason or "",
                    o.message_id or "",
                    o.address or "",
                ]
            )
    return web.Response(
        body=out.getvalue().encode("utf-8"),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="broadcast-{broadcast_id}.csv"'},
    )
