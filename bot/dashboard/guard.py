"""Everything under /dashboard passes here: session, sign-in, CSRF, security headers.

- a request without a signed-in session goes to the sign-in page (a POST gets 403);
- every POST must carry the session's CSRF token in the form field ``csrf`` (403 without);
- a signed-in session whose account is no longer an admin, or whose credential (token,
  password) has changed since, is deleted and treated as no session;
- the session cookie is HttpOnly, SameSite=Strict, limited to /dashboard, and Secure over
  https or when the configured public URL is https (a TLS-terminating proxy);
- pages may not be framed, cached or run scripts (no page here uses any).
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from aiohttp import web

from bot.dashboard.appkeys import AUTH, PAGES, SECURE_COOKIE, SESSIONS, set_session
from bot.dashboard.render import BASE
from bot.dashboard.sessions import COOKIE, Session
from bot.params import BadInput

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
PUBLIC = frozenset({"dashboard_login", "dashboard_login_form"})
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def set_cookie(request: web.Request, response: web.StreamResponse, session: Session) -> None:
    max_age = request.app[SESSIONS].ttl if session.signed_in else 3600
    response.set_cookie(
        COOKIE,
        session.token,
        max_age=max_age,
        path=BASE,
        httponly=True,
        samesite="Strict",
        secure=request.secure or request.app[SECURE_COOKIE],
    )


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await _guarded(request, handler)
    except web.HTTPException as exc:
        exc.headers.update(SECURITY_HEADERS)
        raise
    except BadInput as exc:
        response = request.app[PAGES].response(
            "bad_request.html", http_status=400, session=None, problem=str(exc)
        )
    response.headers.update(SECURITY_HEADERS)
    return response


async def _current(request: web.Request) -> Session | None:
    """The request's session, unless it was signed in by a credential that no longer
    holds (checked on every request, so a revocation takes effect at once)."""
    sessions = request.app[SESSIONS]
    session = await sessions.get(request.cookies.get(COOKIE))
    if session is None or session.account is None:
        return session
    current = request.app[AUTH].credential_of(session.account)
    if current is not None and hmac.compare_digest(current, session.credential):
        return session
    log.warning("Dashboard session of %s ended: its credential no longer holds", session.account)
    await sessions.delete(session.token)
    return None


async def _guarded(request: web.Request, handler: Handler) -> web.StreamResponse:
    sessions, pages = request.app[SESSIONS], request.app[PAGES]
    session = await _current(request)
    route = request.match_info.route.name
    public = route in PUBLIC
    fresh = False
    if session is None and public and request.method == "GET":
        session, fresh = await sessions.create(), True
    if request.method == "POST":
        form = await request.post()
        given = form.get("csrf")
        if (
            session is None
            or not isinstance(given, str)
            or not hmac.compare_digest(given.encode(), session.csrf.encode())
        ):
            return pages.response("forbidden.html", http_status=403, session=None)
    if session is None or (not session.signed_in and not public):
        target = request.path_qs if request.method == "GET" else BASE + "/"
        raise web.HTTPSeeOther(f"{BASE}/login?next={quote(target, safe='')}")
    set_session(request, session)
    response = await handler(request)
    if fresh and COOKIE not in response.cookies:
        set_cookie(request, response, session)
    return response
