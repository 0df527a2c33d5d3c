"""Applications, newest first, phones masked; every listing is written to the access log."""

from __future__ import annotations

import re

from aiohttp import web

from bot.appkeys import APPLICATIONS
from bot.dashboard.appkeys import PAGES, session_of
from bot.dashboard.render import MAX_PAGE
from bot.params import query_int
from jobfeed.applications.masking import masked
from jobfeed.applications.models import AccessAction
from jobfeed.models import VACANCY_ID_PATTERN

PAGE = 50
_VACANCY_ID = re.compile(VACANCY_ID_PATTERN)


async def application_list(request: web.Request) -> web.StreamResponse:
    page = query_int(request, "page", default=1, low=1, high=MAX_PAGE)
    vacancy_id = request.query.get("vacancy", "").strip()
    offset = (page - 1) * PAGE
    if vacancy_id and _VACANCY_ID.match(vacancy_id):
        total, found = await request.config_dict[APPLICATIONS].for_vacancy(
            vacancy_id, offset, PAGE
        )
    else:
        vacancy_id = ""
        total, found = await request.config_dict[APPLICATIONS].recent(offset, PAGE)
    session = session_of(request)
    await request.config_dict[APPLICATIONS].log_access(
        [a.number for a in found], session.actor, AccessAction.exported
    )
    return request.app[PAGES].response(
        "applications.html",
        session=session,
        rows=[masked(a) for a in found],
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE)),
        vacancy=vacancy_id,
    )
