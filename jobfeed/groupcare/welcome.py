"""Welcomes: people who join a group are greeted together, at most once per interval per
group, and the previous welcome is removed when the next goes out.

The schedule lives in Redis (every process shares it and it survives restarts): a join
queues the newcomers and makes the group's welcome due now, or one interval after the
last welcome; a supervised job takes due groups (``claim`` runs once per due welcome
whichever process asks) and sends one welcome naming everyone queued.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.lua import load_script

MAX_NAMES = 20  # named in one welcome; the rest are counted


@dataclass(frozen=True, slots=True)
class Newcomer:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class DueWelcome:
    group: int
    newcomers: tuple[Newcomer, ...]
    previous: int | None  # the message of the last welcome, to remove


class Welcomes:
    def __init__(self, redis: Redis, keys: Keys, interval: float) -> None:
        self._redis = redis
        self._keys = keys
        self.interval = interval
        self._arrive = load_script(redis, "jobfeed.groupcare", "welcome_arrive")
        self._claim = load_script(redis, "jobfeed.groupcare", "welcome_claim")

    async def arrived(self, group: int, people: Sequence[Newcomer], now: float) -> float:
        """Queue the newcomers; returns when the group's welcome is due (Unix seconds)."""
        keys = [
            self._keys.welcome_newcomers(group),
            self._keys.welcome_due,
            self._keys.welcome_last,
        ]
        rows = [json.dumps([p.id, p.name], ensure_ascii=False) for p in people]
        due = await self._arrive(keys=keys, args=[group, now, self.interval, *rows])
        return float(due)

    async def due(self, now: float, limit: int = 50) -> list[int]:
        found = await self._redis.zrangebyscore(self._keys.welcome_due, "-inf", now, 0, limit)
        return [int(str(group)) for group in found]

    async def claim(self, group: int) -> DueWelcome | None:
        """The group's welcome to send, or None when another process took it."""
        keys = [
            self._keys.welcome_due,
            self._keys.welcome_newcomers(group),
            self._keys.welcome_last,
        ]
        taken = await self._claim(keys=keys, args=[group])
        if taken is None:
            return None
        last, *rows = taken
        people: dict[int, Newcomer] = {}
        for row in rows:
            member, name = json.loads(row)
            people[int(member)] = Newcomer(int(member), str(name))
        previous = json.loads(last).get("message") if last else None
        return DueWelcome(group, tuple(people.values()), previous)

    async def sent(self, group: int, message: int | None, now: float) -> None:
        """Record the welcome just sent (None: none went out, the interval counts all
        the same) so the next one waits and removes it."""
        last = json.dumps({"at": now, "message": message})
        await self._redis.hset(self._keys.welcome_last, str(group), last)
