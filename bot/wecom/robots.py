"""WeCom group robots as groups of the matrix, and their webhook keys (secrets).

A robot is a group of channel ``wecom-robot`` whose chat is the robot's id: ``r`` and 16
hex digits of the key's SHA-256, so the same key always names the same group and the key
itself never appears in an address (addresses are logged, listed and shown). The key is
kept in ``Keys.chat_secrets`` and only ever shown masked (``mask``: first 4 … last 4).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

from redis.asyncio import Redis

from jobfeed.channels import Address
from jobfeed.groups import GroupRepository
from jobfeed.keys import Keys
from jobfeed.models import Group, GroupKind

ROBOT = "wecom-robot"
_KEY = re.compile(r"[A-Za-z0-9-]{8,128}")


def mask(key: str) -> str:
    """``693a…5aaa``: enough to tell two robots apart, never enough to post."""
    return f"{key[:4]}…{key[-4:]}" if len(key) > 8 else "…"


def robot_id(key: str) -> str:
    return "r" + hashlib.sha256(key.encode()).hexdigest()[:16]


def parse_key(text: str) -> str:
    """The key of a webhook URL (``…/cgi-bin/webhook/send?key=KEY``) or a bare key;
    ValueError otherwise (the message never repeats the text: it may be a real key)."""
    text = text.strip()
    if "://" in text:
        parts = urlsplit(text)
        keys = parse_qs(parts.query).get("key", [])
        if not parts.path.endswith("/cgi-bin/webhook/send") or len(keys) != 1:
            raise ValueError("not a WeCom robot webhook URL (…/cgi-bin/webhook/send?key=…)")
        text = keys[0]
    if not _KEY.fullmatch(text):
        raise ValueError("not a WeCom robot webhook key (8–128 of A-Z a-z 0-9 -)")
    return text


@dataclass(frozen=True, slots=True)
class RobotError:
    """The last error WeCom answered for a robot."""

    code: int
    message: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Robot:
    group: Group
    masked_key: str
    last_error: RobotError | None


class RobotRegistry:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._secrets = keys.chat_secrets(ROBOT)
        self._errors = keys.chat_errors(ROBOT)
        self._groups = GroupRepository(redis, keys)

    async def register(
        self,
        key: str,
        name: str,
        *,
        city: str | None = None,
        province: str | None = None,
        industries: list[str] | None = None,
    ) -> Robot:
        """Add a robot's group (or update its name and tags, and make it active again)."""
        address = Address(ROBOT, robot_id(key))
        old = await self._groups.get(address)
        group = Group(
            channel=ROBOT,
            chat_id=address.chat,
            title=name,
            kind=old.kind if old else GroupKind.community,
            city=city if city is not None else (old.city if old else None),
            province=province if province is not None else (old.province if old else None),
            industries=industries if industries is not None else (old.industries if old else []),
        )
        await self._redis.hset(self._secrets, address.chat, key)
        await self._groups.upsert(group)
        await self._redis.hdel(self._errors, address.chat)
        return Robot(group, mask(key), None)

    async def key(self, chat: str) -> str | None:
        return cast(str | None, await self._redis.hget(self._secrets, chat))

    async def remove(self, chat: str) -> bool:
        """Forget a robot's key; its group stays listed, inactive (``removed``)."""
        if not await self._redis.hdel(self._secrets, chat):
            return False
        await self._groups.deactivate(Address(ROBOT, chat), "removed")
        return True

    async def failed(self, chat: str, code: int, message: str, now: datetime) -> None:
        # errmsg can quote the request (WeCom adds a hint URL); the key is never in it.
        value = {"code": code, "message": message[:200], "at": now.isoformat()}
        await self._redis.hset(self._errors, chat, json.dumps(value, ensure_ascii=False))

    async def all(self) -> list[Robot]:
        keys = cast(dict[str, str], await self._redis.hgetall(self._secrets))
        errors = cast(dict[str, str], await self._redis.hgetall(self._errors))
        robots = []
        for group in await self._groups.all():
            if group.channel != ROBOT:
                continue
            chat = str(group.chat_id)
            key = keys.get(chat, "")
            robots.append(Robot(group, mask(key) if key else "", _error(errors.get(chat))))
        return robots


def _error(raw: str | None) -> RobotError | None:
    if not raw:
        return None
    data: dict[str, Any] = json.loads(raw)
    return RobotError(int(data["code"]), str(data["message"]), datetime.fromisoformat(data["at"]))
