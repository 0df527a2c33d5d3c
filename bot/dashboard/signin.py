"""Signing in and out of the dashboard."""

from __future__ import annotations

import math

from aiohttp import web

from bot.dashboard.appkeys import AUTH, PAGES, SESSIONS, session_of
from bot.dashboard.guard import set_cookie
from bot.dashboard.render import BASE
from bot.dashboard.sessions import COOKIE


def safe_next(raw: str | None) -> str:
    """Only a path inside the dashboard: never another site (``//evil`` or a scheme)."""
    if raw and raw.startswith(BASE + "/") and "//" not in raw and "\\" not in raw:
        return raw
    return BASE + "/"


async def login_form(request: web.Request) -> web.StreamResponse:
    session = session_of(request)
    if session.signed_in:
        raise web.HTTPSeeOther(safe_next(request.query.get("next")))
    return request.app[PAGES].response(
        "login.html", session=session, next=safe_next(request.query.get("next")), error=None
    )


async def login(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    account, password = str(form.get("account", "")), str(form.get("password", ""))
    target = safe_next(str(form.get("next", "")))
    ip = request.remote or "unknown"
    result = await request.app[AUTH].sign_in(ip, account, password)
    if result.account is None:
        pages = request.app[PAGES]
        error = "locked" if result.locked_for else "wrong"
        return pages.response(
            "login.html",
            http_status=429 if result.locked_for else 401,
            session=session_of(request),
            next=target,
            error=error,
            minutes=math.ceil(result.locked_for / 60),
            account=account,
        )
    sessions = request.app[SESSIONS]
    await sessions.delete(session_of(request).token)
    session = await sessions.create(result.account, result.credential)
    response = web.HTTPSeeOther(target)
    set_cookie(request, response, session)
    raise response


async def logout(request: web.Request) -> web.StreamResponse:
    await request.app[SESSIONS].delete(session_of(request).token)
    response = web.HTTPSeeOther(BASE + "/login")
    response.del_cookie(COOKIE, path=BASE)
    raise response
