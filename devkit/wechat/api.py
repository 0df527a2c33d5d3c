"""The part of WeChat's Official Account API the product calls, with its documented limits.

- ``GET /cgi-bin/token``: an access token for ``appid`` + ``secret``, good for
  ``expires_in`` seconds (7,200); a new one leaves the previous valid for 5 more minutes.
- ``POST /cgi-bin/message/custom/send``: a customer-service text to a follower, refused
  with errcode 45015 more than 48 hours after the follower's last message (which the pusher
  records here, as WeChat sees it), 43004 when they unfollowed, 40001 for an unknown
  token, 42001 for an expired one.
https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Get_access_token.html
https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Service_Center_messages.html
"""

from __future__ import annotations

import secrets
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any

from aiohttp import web

TOKEN_LIFETIME = 7200
OVERLAP = timedelta(minutes=5)  # the previous token stays valid this long after a new one
WINDOW = timedelta(hours=48)


class Clock:
    """The simulator's time; a test moves it."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime.now(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta


@dataclass(frozen=True, slots=True)
class CustomMessage:
    touser: str
    content: str
    at: datetime


@dataclass
class _State:
    tokens: dict[str, datetime] = field(default_factory=dict)  # token -> expires
    last_seen: dict[str, datetime] = field(default_factory=dict)  # openid -> last message
    unfollowed: set[str] = field(default_factory=set)
    sent: list[CustomMessage] = field(default_factory=list)
    token_requests: int = 0
    refused: list[int] = field(default_factory=list)  # errcodes of refused sends


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class WeChatApiSimulator:
    def __init__(self, appid: str, secret: str, clock: Clock | None = None) -> None:
        self.appid = appid
        self.secret = secret
        self.clock = clock or Clock()
        self.state = _State()
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    # -- control ---------------------------------------------------------------------------

    def interacted(self, openid: str) -> None:
        """The follower sent a message (the pusher calls this as WeChat would see it)."""
        self.state.last_seen[openid] = self.clock.now()
        self.state.unfollowed.discard(openid)

    def unfollowed(self, openid: str) -> None:
        self.state.unfollowed.add(openid)

    def expire_tokens(self) -> None:
        """Every token issued so far expires now (as if WeChat reset them)."""
        now = self.clock.now()
        for token in self.state.tokens:
            self.state.tokens[token] = now

    def messages_to(self, openid: str) -> list[str]:
        return [m.content for m in self.state.sent if m.touser == openid]

    # -- the API ---------------------------------------------------------------------------

    async def _token(self, request: web.Request) -> web.Response:
        query = request.query
        if query.get("grant_type") != "client_credential":
            return web.json_response({"errcode": 40002, "errmsg": "invalid grant_type"})
        if query.get("appid") != self.appid:
            return web.json_response({"errcode": 40013, "errmsg": "invalid appid"})
        if query.get("secret") != self.secret:
            return web.json_response({"errcode": 40125, "errmsg": "invalid appsecret"})
        self.state.token_requests += 1
        now = self.clock.now()
        for old, expires in self.state.tokens.items():
            self.state.tokens[old] = min(expires, now + OVERLAP)
        token = secrets.token_urlsafe(48)
        self.state.tokens[token] = now + timedelta(seconds=TOKEN_LIFETIME)
        return web.json_response({"access_token": token, "expires_in": TOKEN_LIFETIME})

    def _error(self, code: int, message: str) -> web.Response:
        self.state.refused.append(code)
        return web.json_response({"errcode": code, "errmsg": message})

    async def _custom_send(self, request: web.Request) -> web.Response:
        now = self.clock.now()
        expires = self.state.tokens.get(request.query.get("access_token", ""))
        if expires is None:
            return self._error(40001, "invalid credential, access_token is invalid")
        if expires <= now:
            return self._error(42001, "access_token expired")
        try:
            body: Any = await request.json()
            touser, content = body["touser"], body["text"]["content"]
        except (ValueError, KeyError, TypeError):
            return self._error(44002, "empty post data")
        if body.get("msgtype") != "text" or not isinstance(content, str) or not content:
            return self._error(40008, "invalid message type")
        refusal = self._refusal(touser, now)
        if refusal is not None:
            return self._error(*refusal)
        self.state.sent.append(CustomMessage(touser, content, now))
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    def _refusal(self, touser: str, now: datetime) -> tuple[int, str] | None:
        if touser in self.state.unfollowed:
            return 43004, "require subscribe"
        seen = self.state.last_seen.get(touser)
        if seen is None or now - seen > WINDOW:
            return 45015, "response out of time limit or subscription is canceled"
        return None

    # -- lifetime --------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on ``host:port`` (0: a free port); the base URL."""
        app = web.Application()
        app.router.add_get("/cgi-bin/token", self._token)
        app.router.add_post("/cgi-bin/message/custom/send", self._custom_send)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        port = port or _free_port()
        await web.TCPSite(self._runner, host, port).start()
        self.base_url = f"http://{host}:{port}"
        return self.base_url

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> WeChatApiSimulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
