"""The WeCom group-robot channel: addresses ``wecom-robot:<robot id>`` (``bot.wecom.robots``).

A post goes as Markdown (``bot.wecom.markdown``) to ``POST /cgi-bin/webhook/send?key=KEY``.
A robot takes 20 messages in any minute, counted per robot: the channel's budget keeps
that per robot id across every worker process (a 61 s window: a second of guard for arrivals). A
robot cannot edit or delete a message: a retraction skips its groups as ``unsupported``.

Which ``errcode`` means what (https://developer.work.weixin.qq.com/document/path/90313):
- 0 -> ``Delivered`` (a robot returns no message id: its count of sends stands in);
- 45009 (api freq out of limit) -> ``RetryAfter(60, chat_only=True)``: that robot waits a
  minute, the post is sent again, the other robots go on;
- 93000 (invalid webhook url: the robot was removed), or a key we no longer have ->
  ``Forbidden``: the group becomes inactive;
- -1 (system busy) -> ``Transient``; no connection or a 5xx -> ``Transient(network=True)``;
  no readable reply -> ``Unknown``;
- anything else -> ``Rejected``, its code kept with the robot (``RobotRegistry.failed``)
  and shown in the robots' list.
The key is never logged: log lines name the robot id and the masked key.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from bot.wecom.http import NoReply, Unreachable, WeComHttp
from bot.wecom.markdown import WeComTexts
from bot.wecom.robots import ROBOT, RobotRegistry, mask
from jobfeed.broadcast.models import Post
from jobfeed.broadcast.pacing import PacingLimits
from jobfeed.broadcast.sender import (
    Delivered,
    Forbidden,
    Rejected,
    RetryAfter,
    SendResult,
    Transient,
    Unknown,
)
from jobfeed.channels import Address, Capabilities
from jobfeed.models import utcnow

log = logging.getLogger(__name__)

SEND_PATH = "/cgi-bin/webhook/send"
PER_MINUTE = 20
SYSTEM_BUSY, FREQ_OUT_OF_LIMIT, INVALID_WEBHOOK = -1, 45009, 93000
RENDERED_KEPT = 64
ARRIVAL_GUARD = 1.0  # seconds a request may take to arrive after its slot


class WeComRobotChannel:
    """Group robots as a ``jobfeed.channels.Channel``."""

    name = ROBOT
    capabilities = Capabilities(
        send=True, edit=False, delete=False, buttons=False, inbound=False, max_text=4096,
        markup="markdown",
    )  # fmt: skip

    def __init__(
        self,
        http: WeComHttp,
        robots: RobotRegistry,
        texts: WeComTexts,
        *,
        speed: float = 1.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        """``speed``: how much faster than real time WeCom's clock runs (a simulator)."""
        self._http = http
        self._robots = robots
        self._texts = texts
        self._speed = speed
        self._clock = clock
        self._rendered: dict[int, tuple[Post, str | ValueError]] = {}

    @property
    def limits(self) -> PacingLimits:
        # WeCom sets no overall limit for robots; 50/s keeps one broadcast from hogging Redis.
        # The window counts reserved slots; WeCom counts arrivals, which come up to a network
        # delay later: the guard is that delay, in real seconds (networks do not run faster).
        scaled = PacingLimits(global_rate=50.0, group_limit=PER_MINUTE, group_window=60.0).scaled(
            self._speed
        )
        return replace(scaled, group_window=scaled.group_window + ARRIVAL_GUARD)

    async def prepare(self, post: Post) -> None:
        self._markdown(post)

    async def render(self, post: Post) -> str:
        text = self._markdown(post)
        if isinstance(text, ValueError):
            raise text
        return text

    def _markdown(self, post: Post) -> str | ValueError:
        known = self._rendered.get(id(post))
        if known is None or known[0] is not post:
            try:
                text: str | ValueError = self._texts.markdown(post)
            except ValueError as exc:
                text = exc
            if len(self._rendered) >= RENDERED_KEPT:
                self._rendered.pop(next(iter(self._rendered)))
            known = self._rendered[id(post)] = (post, text)
        return known[1]

    async def send(self, chat: Address, post: Post) -> SendResult:  # noqa: PLR0911 - one per code
        text = self._markdown(post)
        if isinstance(text, ValueError):
            return Rejected(str(text))
        key = await self._robots.key(chat.chat)
        if key is None:
            return Forbidden("the robot's webhook key was removed")
        body = {"msgtype": "markdown", "markdown": {"content": text}}
        try:
            answer = await self._http.call("POST", SEND_PATH, {"key": key}, body)
        except Unreachable as exc:
            return Transient(str(exc), network=True)
        except NoReply as exc:
            return Unknown(str(exc))
        code, message = int(answer.get("errcode", 0)), str(answer.get("errmsg", ""))
        if code == 0:
            return Delivered(0)
        log.warning("WeCom robot %s (%s): errcode %d %s", chat.chat, mask(key), code, message)
        if code == FREQ_OUT_OF_LIMIT:
            return RetryAfter(60.0 / self._speed, chat_only=True)
        await self._robots.failed(chat.chat, code, message, self._clock())
        if code == INVALID_WEBHOOK:
            return Forbidden(f"invalid webhook ({code})")
        if code == SYSTEM_BUSY:
            return Transient(f"system busy ({code})")
        return Rejected(f"errcode {code}: {message}")

    async def edit(self, chat: Address, message_id: int, post: Post) -> SendResult:
        return Rejected("a WeCom robot cannot edit a message")

    async def delete(self, chat: Address, message_id: int) -> SendResult:
        return Rejected("a WeCom robot cannot delete a message")
