"""The alert queue in Redis: durable work, due times, leases, retries and dead letters.

An item is ``a:<person>:<vacancy id>`` (one alert) or ``d:<person>`` (the digest of the
vacancies over the day's cap). Queuing marks the vacancy as sent to the person for good
(``enqueue.lua``), so neither a second match nor an edit of the vacancy queues it again.
A sender claims a due item (``claim.lua``), which leases it ahead: a sender that dies
leaves it to be claimed again when the lease runs out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.lua import load_script

PACKAGE = "jobfeed.matching"
LEASE = 60.0  # seconds a claimed item is kept from other senders
MAX_ATTEMPTS = 5
FIRST_RETRY = 5.0  # seconds; doubling up to MAX_RETRY
MAX_RETRY = 600.0
DAY_TTL = 3 * 86_400
DIGEST_TTL = 8 * 86_400


@dataclass(frozen=True, slots=True)
class Item:
    person: int
    vacancy_id: str | None  # None: the person's digest

    @property
    def name(self) -> str:
        if self.vacancy_id is None:
            return f"d:{self.person}"
        return f"a:{self.person}:{self.vacancy_id}"

    @classmethod
    def parse(cls, name: str) -> Item | None:
        kind, _, rest = name.partition(":")
        person, _, vacancy = rest.partition(":")
        if not person.lstrip("-").isdigit() or kind not in {"a", "d"}:
            return None
        if kind == "a":
            return cls(int(person), vacancy) if vacancy else None
        return cls(int(person), None)


class AlertQueue:
    def __init__(self, redis: Redis, keys: Keys, sent_days: int) -> None:
        """``sent_days``: how long a person's alerted vacancies are remembered (the
        retention period: an availability lives no longer)."""
        self._redis = redis
        self._keys = keys
        self._sent_ttl = sent_days * 86_400
        self._enqueue = load_script(redis, PACKAGE, "enqueue")
        self._claim = load_script(redis, PACKAGE, "claim")

    async def enqueue(self, vacancy_id: str, persons: Iterable[int], due: datetime) -> int:
        """Queue the vacancy's alert for each person not alerted of it yet; how many."""
        people = [str(p) for p in persons]
        if not people:
            return 0
        k = self._keys
        args: list[Any] = [
            vacancy_id,
            due.timestamp(),
            self._sent_ttl,
            k.alerts_sent("@"),  # type: ignore[arg-type]
            k.applicant_vacancies("@"),  # type: ignore[arg-type]
            *people,
        ]
        return int(await self._enqueue(keys=[k.alerts_queue], args=args))

    async def due(self, now: datetime, limit: int = 50) -> list[Item]:
        names: Any = await self._redis.zrangebyscore(
            self._keys.alerts_queue, "-inf", now.timestamp(), start=0, num=limit
        )
        return [item for name in names if (item := Item.parse(name)) is not None]

    async def claim(
        self, item: Item, now: datetime, *, day: str, cap: int, digest_due: datetime
    ) -> str:
        k = self._keys
        digest = Item(item.person, None)
        return str(
            await self._claim(
                keys=[
                    k.alerts_queue,
                    k.alerts_day(item.person, day),
                    k.applicant_vacancies(item.person),
                    k.alerts_digest(item.person),
                ],
                args=[
                    item.name,
                    now.timestamp(),
                    now.timestamp() + LEASE,
                    cap,
                    item.vacancy_id or "",
                    digest.name,
                    digest_due.timestamp(),
                    DAY_TTL,
                    DIGEST_TTL,
                ],
            )
        )

    async def digest(self, person: int) -> list[str]:
        ids: Any = await self._redis.smembers(self._keys.alerts_digest(person))
        return sorted(ids)

    async def done(self, item: Item, digested: Iterable[str] = ()) -> None:
        """Sent: off the queue (and the digest's vacancies off the digest)."""
        k = self._keys
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zrem(k.alerts_queue, item.name)
            pipe.hdel(k.alerts_attempts, item.name)
            if ids := list(digested):
                pipe.srem(k.alerts_digest(item.person), *ids)
            await pipe.execute()

    async def drop(self, item: Item, *, uncount: str | None = None) -> None:
        """Not to be sent after all; ``uncount``: the day an alert was counted against."""
        k = self._keys
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zrem(k.alerts_queue, item.name)
            pipe.hdel(k.alerts_attempts, item.name)
            if uncount is not None and item.vacancy_id is not None:
                pipe.decr(k.alerts_day(item.person, uncount))
            await pipe.execute()

    async def failed(self, item: Item, now: datetime, error: str, *, day: str) -> bool:
        """A transient failure: retried later with backoff, or dead-lettered after
        ``MAX_ATTEMPTS``; True when it was dead-lettered. The claim's count is undone."""
        k = self._keys
        attempts = int(await self._redis.hincrby(k.alerts_attempts, item.name, 1))
        dead = attempts >= MAX_ATTEMPTS
        async with self._redis.pipeline(transaction=True) as pipe:
            if item.vacancy_id is not None:
                pipe.decr(k.alerts_day(item.person, day))
            if dead:
                record = {"error": error[:200], "attempts": attempts, "at": now.isoformat()}
                pipe.hset(k.alerts_dead, item.name, json.dumps(record))
                pipe.zrem(k.alerts_queue, item.name)
                pipe.hdel(k.alerts_attempts, item.name)
            else:
                delay = min(FIRST_RETRY * 2 ** (attempts - 1), MAX_RETRY)
                pipe.zadd(k.alerts_queue, {item.name: now.timestamp() + delay})
            await pipe.execute()
        return dead

    async def size(self) -> int:
        return int(await self._redis.zcard(self._keys.alerts_queue))

    async def dead(self) -> dict[str, Any]:
        rows: Any = await self._redis.hgetall(self._keys.alerts_dead)
        return {name: json.loads(raw) for name, raw in rows.items()}
