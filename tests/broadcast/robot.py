"""A test channel: a WeCom group-robot-like webhook, text only, with its own limits and codes.

Each chat is a robot (its webhook key) that takes at most 20 messages in any minute (in
the simulated time of ``speed``); it cannot edit or delete, shows no buttons and answers
with WeCom-like ``errcode``s, which the channel maps onto the engine's ``SendResult``s.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import ClassVar

from jobfeed.broadcast.models import Post
from jobfeed.broadcast.pacing import PacingLimits
from jobfeed.broadcast.sender import (
    Delivered,
    Forbidden,
    Rejected,
    RetryAfter,
    SendResult,
    Transient,
)
from jobfeed.channels import Address, Capabilities

ROBOT = "wecom-robot"
PER_MINUTE = 20
FREQ_OUT_OF_LIMIT, INVALID_WEBHOOK, BAD_MESSAGE, SYSTEM_BUSY = 45009, 93000, 40008, -1


@dataclass
class RobotChannel:
    speed: float = 1.0
    name: str = ROBOT
    capabilities: ClassVar[Capabilities] = Capabilities(
        send=True, edit=False, delete=False, max_text=2048, markup="text"
    )
    scripted: dict[str, list[int]] = field(default_factory=dict)  # chat -> errcodes to answer
    arrivals: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    texts: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    over_limit: int = 0  # requests refused for going over 20 a minute

    @property
    def limits(self) -> PacingLimits:
        # 20 a minute per robot; the budget's window has a second of guard, like Telegram's.
        return PacingLimits(global_rate=50.0, group_limit=PER_MINUTE, group_window=61.0).scaled(
            self.speed
        )

    async def prepare(self, post: Post) -> None:
        return None

    async def render(self, post: Post) -> str:
        lines = [f"{i.title} · {i.employer} · {i.city} · {i.pay}" for i in post.items]
        if post.rendered is not None:  # a post stored before posts were channel-neutral
            lines = [re.sub(r"<[^>]+>", "", post.rendered.text)]
        return "\n".join(lines)[: self.capabilities.max_text]

    async def send(self, chat: Address, post: Post) -> SendResult:
        now, room = time.monotonic(), chat.chat
        code = self.scripted[room].pop(0) if self.scripted.get(room) else 0
        recent = [t for t in self.arrivals[room] if t > now - 60.0 / self.speed]
        if not code and len(recent) >= PER_MINUTE:
            self.over_limit += 1
            code = FREQ_OUT_OF_LIMIT
        return await self._answer(code, room, now, post)

    async def _answer(self, code: int, room: str, now: float, post: Post) -> SendResult:
        if code == FREQ_OUT_OF_LIMIT:
            return RetryAfter(60.0 / self.speed)
        if code == INVALID_WEBHOOK:
            return Forbidden("invalid webhook url (93000)")
        if code == BAD_MESSAGE:
            return Rejected("invalid message type (40008)")
        if code == SYSTEM_BUSY:
            return Transient("system busy (-1)")
        self.arrivals[room].append(now)
        self.texts[room].append(await self.render(post))
        return Delivered(len(self.arrivals[room]))

    async def edit(self, chat: Address, message_id: int, post: Post) -> SendResult:
        return Rejected("a robot cannot edit")

    async def delete(self, chat: Address, message_id: int) -> SendResult:
        return Rejected("a robot cannot delete")
