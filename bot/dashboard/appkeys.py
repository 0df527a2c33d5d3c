"""Typed keys of the dashboard sub-application, and the session of the current request."""

from __future__ import annotations

from aiohttp import web

from bot.dashboard.auth import Authenticator
from bot.dashboard.render import Pages
from bot.dashboard.sessions import Session, SessionStore

SESSIONS = web.AppKey("dashboard_sessions", SessionStore)
AUTH = web.AppKey("dashboard_auth", Authenticator)
PAGES = web.AppKey("dashboard_pages", Pages)
# Whether the public address is https: behind a TLS-terminating proxy the request itself
# arrives over plain http, yet the browser must still get a Secure cookie.
SECURE_COOKIE = web.AppKey("dashboard_secure_cookie", bool)

_SESSION = web.RequestKey("dashboard_session", Session)


def set_session(request: web.Request, session: Session) -> None:
    request[_SESSION] = session


def session_of(request: web.Request) -> Session:
    """The session the guard attached (signed in, on every page but the sign-in page)."""
    return request[_SESSION]
