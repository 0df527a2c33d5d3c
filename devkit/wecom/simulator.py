"""``WeComSimulator``: WeCom's robot webhooks and customer-group mass sends on a local port."""

from __future__ import annotations

import itertools
import json
import secrets
import time
from collections import deque
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

from aiohttp import web

ROBOT_PER_MINUTE = 20
MARKDOWN_BYTES = 4096
TOKEN_SECONDS = 7200
# errcodes (https://developer.work.weixin.qq.com/document/path/90313)
OK, SYSTEM_BUSY = 0, -1
INVALID_SECRET, INVALID_TOKEN, EXPIRED_TOKEN = 40001, 40014, 42001
INVALID_MSGTYPE, CONTENT_TOO_LONG, BAD_JSON = 40008, 40058, 47001
FREQ_OUT_OF_LIMIT, INVALID_WEBHOOK = 45009, 93000
NOT_FOUND = 41063  # no such mass-send task (msgid)
NO_SUCH_USER = 60111
# get_groupmsg_send_result's status of one group
UNSENT, SENT, NOT_FRIEND, ALREADY_RECEIVED = 0, 1, 2, 3


@dataclass
class SimRobot:
    key: str
    texts: list[str] = field(default_factory=list)
    arrivals: deque[float] = field(default_factory=deque)  # simulated seconds, last 60 s
    all_arrivals: list[float] = field(default_factory=list)  # of delivered messages
    scripted: list[int] = field(default_factory=list)  # errcodes to answer next
    over_limit: int = 0  # requests refused for the 20-a-minute limit
    removed: bool = False  # the robot was removed from its group


@dataclass
class SimCustomerGroup:
    chat_id: str
    owner: str
    name: str
    received: list[str] = field(default_factory=list)  # texts of confirmed mass sends


@dataclass
class SimTask:
    msgid: str
    sender: str
    text: str
    chats: dict[str, int]  # chat id -> status (UNSENT until the owner confirms)
    confirmed: bool = False
    send_time: int = 0


class WeComSimulator:
    def __init__(
        self, speed: float = 1.0, *, corp_id: str = "wwsimcorp0001", secret: str = "sim-secret"
    ) -> None:
        self.speed = speed
        self.corp_id = corp_id
        self.secret = secret
        self.robots: dict[str, SimRobot] = {}
        self.groups: dict[str, SimCustomerGroup] = {}
        self.tasks: dict[str, SimTask] = {}
        self.tokens: dict[str, float] = {}  # access token -> when it expires (simulated)
        self.token_requests = 0
        self.requests: list[str] = []  # paths called, in order
        self._origin = time.monotonic()
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    # -- lifecycle ---------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        app = web.Application()
        app.router.add_post("/cgi-bin/webhook/send", self._robot_send)
        app.router.add_get("/cgi-bin/gettoken", self._gettoken)
        corp = {
            "groupchat/list": self._group_list,
            "groupchat/get": self._group_get,
            "add_msg_template": self._add_msg_template,
            "get_groupmsg_task": self._get_task,
            "get_groupmsg_send_result": self._get_send_result,
        }
        for name, handler in corp.items():
            app.router.add_post(f"/cgi-bin/externalcontact/{name}", self._with_token(handler))
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        self._runner = runner
        self.base_url = f"http://{host}:{runner.addresses[0][1]}"
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def now(self) -> float:
        """Simulated seconds since the simulator was made."""
        return (time.monotonic() - self._origin) * self.speed

    # -- what tests set up and play ----------------------------------------------------

    def add_robot(self, key: str | None = None) -> SimRobot:
        robot = SimRobot(key or str(secrets.token_hex(16)))
        self.robots[robot.key] = robot
        return robot

    def webhook_url(self, robot: SimRobot) -> str:
        return f"{self.base_url}/cgi-bin/webhook/send?key={robot.key}"

    def add_customer_group(self, chat_id: str, owner: str, name: str = "") -> SimCustomerGroup:
        group = SimCustomerGroup(chat_id, owner, name or chat_id)
        self.groups[chat_id] = group
        return group

    def expire_tokens(self) -> None:
        self.tokens = dict.fromkeys(self.tokens, 0.0)

    def confirm(self, msgid: str, failures: dict[str, int] | None = None) -> None:
        """The owner confirms the task in their client: every group gets the message
        (``SENT``) except those in ``failures`` (chat id -> ``NOT_FRIEND`` or
        ``ALREADY_RECEIVED``)."""
        task = self.tasks[msgid]
        failures = failures or {}
        task.confirmed, task.send_time = True, int(time.time())
        for chat in task.chats:
            task.chats[chat] = failures.get(chat, SENT)
            if task.chats[chat] == SENT:
                self.groups[chat].received.append(task.text)

    def task_of(self, owner: str) -> list[SimTask]:
        return [t for t in self.tasks.values() if t.sender == owner]

    # -- group robots ------------------------------------------------------------------

    async def _robot_send(self, request: web.Request) -> web.Response:  # noqa: PLR0911
        self.requests.append(request.path)
        robot = self.robots.get(request.query.get("key", ""))
        if robot is None or robot.removed:
            return _error(INVALID_WEBHOOK, "invalid webhook url")
        now = self.now()
        while robot.arrivals and robot.arrivals[0] <= now - 60.0:
            robot.arrivals.popleft()
        if robot.scripted:
            code = robot.scripted.pop(0)
            if code:
                return _error(code, "scripted")
        if len(robot.arrivals) >= ROBOT_PER_MINUTE:
            robot.over_limit += 1
            return _error(FREQ_OUT_OF_LIMIT, "api freq out of limit")
        robot.arrivals.append(now)  # WeCom counts every request it takes, not the refused
        try:
            body = json.loads(await request.text())
        except ValueError:
            return _error(BAD_JSON, "data format error")
        if body.get("msgtype") != "markdown":
            return _error(INVALID_MSGTYPE, "invalid message type")
        content = str(body.get("markdown", {}).get("content", ""))
        if not content or len(content.encode("utf-8")) > MARKDOWN_BYTES:
            return _error(CONTENT_TOO_LONG, "markdown.content exceed max length 4096")
        robot.texts.append(content)
        robot.all_arrivals.append(now)
        return web.json_response({"errcode": OK, "errmsg": "ok"})

    # -- the corp API ------------------------------------------------------------------

    async def _gettoken(self, request: web.Request) -> web.Response:
        self.requests.append(request.path)
        self.token_requests += 1
        query = request.query
        if query.get("corpid") != self.corp_id or query.get("corpsecret") != self.secret:
            return _error(INVALID_SECRET, "invalid credential")
        token = secrets.token_hex(16)
        self.tokens[token] = self.now() + TOKEN_SECONDS
        return web.json_response(
            {"errcode": OK, "errmsg": "ok", "access_token": token, "expires_in": TOKEN_SECONDS}
        )

    def _with_token(self, handler: Any) -> Any:
        async def checked(request: web.Request) -> web.Response:
            self.requests.append(request.path)
            expires = self.tokens.get(request.query.get("access_token", ""))
            if expires is None:
                return _error(INVALID_TOKEN, "invalid access_token")
            if expires <= self.now():
                return _error(EXPIRED_TOKEN, "access_token expired")
            try:
                body = json.loads(await request.text() or "{}")
            except ValueError:
                return _error(BAD_JSON, "data format error")
            return web.json_response({"errcode": OK, "errmsg": "ok", **handler(body)})

        return checked

    def _group_list(self, body: dict[str, Any]) -> dict[str, Any]:
        owners = set(body.get("owner_filter", {}).get("userid_list", []))
        chats = sorted(c for c, g in self.groups.items() if not owners or g.owner in owners)
        start = int(body.get("cursor") or 0)
        limit = min(int(body.get("limit", 100)), 1000)
        page = chats[start : start + limit]
        more = start + limit < len(chats)
        return {
            "group_chat_list": [{"chat_id": c, "status": 0} for c in page],
            "next_cursor": str(start + limit) if more else "",
        }

    def _group_get(self, body: dict[str, Any]) -> dict[str, Any]:
        group = self.groups[body["chat_id"]]
        return {"group_chat": {"chat_id": group.chat_id, "name": group.name, "owner": group.owner}}

    def _add_msg_template(self, body: dict[str, Any]) -> dict[str, Any]:
        sender = body.get("sender", "")
        owned = [c for c, g in self.groups.items() if g.owner == sender]
        if not owned:  # not a member who owns customer groups (left, or never was)
            return {"errcode": NO_SUCH_USER, "errmsg": "invalid userid"}
        wanted = body.get("chat_id_list") or owned
        chats = [c for c in wanted if c in owned]
        fail_list = [c for c in wanted if c not in owned]
        msgid = f"msg{next(self._ids):06d}"
        text = str(body.get("text", {}).get("content", ""))
        self.tasks[msgid] = SimTask(msgid, sender, text, dict.fromkeys(chats, UNSENT))
        return {"msgid": msgid, "fail_list": fail_list}

    def _get_task(self, body: dict[str, Any]) -> dict[str, Any]:
        task = self.tasks.get(body.get("msgid", ""))
        if task is None:
            return {"errcode": NOT_FOUND, "errmsg": "msgid not found", "task_list": []}
        status = 2 if task.confirmed else 0  # 0 未发送, 2 已发送
        entry = {"userid": task.sender, "status": status, "send_time": task.send_time}
        return {"task_list": [entry], "next_cursor": ""}

    def _get_send_result(self, body: dict[str, Any]) -> dict[str, Any]:
        task = self.tasks.get(body.get("msgid", ""))
        if task is None or task.sender != body.get("userid"):
            return {"errcode": NOT_FOUND, "errmsg": "msgid not found", "send_list": []}
        rows = [
            {"chat_id": chat, "userid": task.sender, "status": status, "send_time": task.send_time}
            for chat, status in sorted(task.chats.items())
        ]
        return {"send_list": rows, "next_cursor": ""}


def _error(code: int, message: str) -> web.Response:
    # WeCom answers errors with HTTP 200 and the code in the body.
    return web.json_response({"errcode": code, "errmsg": message})
