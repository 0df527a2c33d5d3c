"""The importer's and poller's bookkeeping in Redis: which source record became which
vacancy (and with what content), de-duplication fingerprints, and each source's poll state.

Writes that go with vacancy saves are queued on the caller's transaction pipeline.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from jobfeed.keys import Keys
from jobfeed.models import Vacancy, utcnow
from jobfeed.sources.dedup import Fingerprint


@dataclass(frozen=True, slots=True)
class Seen:
    vacancy_id: str
    digest: str


@dataclass(slots=True)
class SourceState:
    """Poll state of one source; times are Unix seconds."""

    etag: str = ""
    last_modified: str = ""
    failures: int = 0
    next_at: float = 0.0
    last_attempt: float = 0.0
    last_ok: float = 0.0
    last_error: str = ""
    last_report: str = ""  # JSON of the last ImportReport

    def report(self) -> dict[str, Any] | None:
        return json.loads(self.last_report) if self.last_report else None


class FeedLedger:
    def __init__(
        self, redis: Redis, keys: Keys, *, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self._redis = redis
        self._keys = keys
        self._clock = clock

    async def seen(self, source_keys: Sequence[str]) -> list[Seen | None]:
        if not source_keys:
            return []
        rows = await self._redis.hmget(self._keys.feeds_seen, list(source_keys))
        return [Seen(*str(row).split("\t", 1)) if row else None for row in rows]

    async def fingerprints(self, cities: Iterable[str]) -> dict[str, dict[str, Fingerprint]]:
        wanted = list(cities)
        async with self._redis.pipeline(transaction=False) as pipe:
            for city in wanted:
                pipe.hgetall(self._keys.feeds_fingerprints(city))
            rows = await pipe.execute()
        return {
            city: {vid: Fingerprint.decode(text) for vid, text in row.items()}
            for city, row in zip(wanted, rows, strict=True)
        }

    def queue_writes(
        self,
        pipe: Pipeline,
        seen: dict[str, Seen],
        added: Iterable[tuple[str, str, Fingerprint]],
        removed: Iterable[tuple[str, str]],
    ) -> None:
        """Queue on ``pipe``: seen records, and fingerprints (city, id, fp) added or removed."""
        if seen:
            mapping: dict[Any, Any] = {k: f"{s.vacancy_id}\t{s.digest}" for k, s in seen.items()}
            pipe.hset(self._keys.feeds_seen, mapping=mapping)
        for city, vacancy_id in removed:
            pipe.hdel(self._keys.feeds_fingerprints(city), vacancy_id)
        by_city: dict[str, dict[Any, Any]] = {}
        for city, vacancy_id, fingerprint in added:
            by_city.setdefault(city, {})[vacancy_id] = fingerprint.encode()
        for city, mapping in by_city.items():  # one command per city, not per vacancy
            pipe.hset(self._keys.feeds_fingerprints(city), mapping=mapping)

    async def write(
        self,
        seen: dict[str, Seen],
        added: Iterable[tuple[str, str, Fingerprint]] = (),
        removed: Iterable[tuple[str, str]] = (),
    ) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            self.queue_writes(pipe, seen, added, removed)
            await pipe.execute()

    # --- posts of feed vacancies (jobfeed.sources.autopost) ------------------------------

    async def record_posts(self, source: str, broadcast_id: str, vacancy_ids: list[str]) -> None:
        mapping: dict[Any, Any] = dict.fromkeys(vacancy_ids, f"{source}\t{broadcast_id}")
        await self._redis.hset(self._keys.feeds_posts, mapping=mapping)

    async def post_of(self, vacancy_id: str) -> tuple[str, str] | None:
        """(source, broadcast id) of the post that announced a vacancy, if any."""
        raw = await self._redis.hget(self._keys.feeds_posts, vacancy_id)
        if not raw:
            return None
        source, _, broadcast_id = str(raw).partition("\t")
        return source, broadcast_id

    async def queue_for_digest(self, source: str, vacancy_ids: list[str], now: float) -> None:
        if vacancy_ids:
            mapping: dict[Any, Any] = dict.fromkeys(vacancy_ids, now)
            await self._redis.zadd(self._keys.feeds_digest(source), mapping, nx=True)

    async def digest_queue(self, source: str) -> list[str]:
        return [str(v) for v in await self._redis.zrange(self._keys.feeds_digest(source), 0, -1)]

    async def digest_sent(self, source: str, vacancy_ids: list[str], now: float) -> None:
        """Take vacancies off a digest queue and note when its digest went out."""
        async with self._redis.pipeline(transaction=True) as pipe:
            if vacancy_ids:
                pipe.zrem(self._keys.feeds_digest(source), *vacancy_ids)
            pipe.hset(self._keys.feeds_digest_sent, source, now)
            await pipe.execute()

    async def last_digest(self, source: str) -> float:
        return float(await self._redis.hget(self._keys.feeds_digest_sent, source) or 0)

    async def mark_ended(self, vacancy_ids: Sequence[str], now: float) -> int:
        """Queue the posts of ended vacancies for an edit or withdrawal (those that have
        posts); returns how many were queued."""
        if not vacancy_ids:
            return 0
        posted = await self._redis.hmget(self._keys.feeds_posts, list(vacancy_ids))
        due: dict[Any, Any] = {vid: now for vid, p in zip(vacancy_ids, posted, strict=True) if p}
        if due:
            await self._redis.zadd(self._keys.feeds_ended, due, nx=True)
        return len(due)

    async def vacancies_ended(self, vacancies: Sequence[Vacancy]) -> None:
        """The expiry sweeper's hook: queue the posts of these vacancies for retraction."""
        await self.mark_ended([v.id for v in vacancies], self._clock().timestamp())

    async def ended_due(self, now: float, limit: int = 100) -> list[str]:
        found = await self._redis.zrangebyscore(
            self._keys.feeds_ended, "-inf", now, start=0, num=limit
        )
        return [str(v) for v in found]

    async def ended_later(self, vacancy_id: str, when: float) -> None:
        await self._redis.zadd(self._keys.feeds_ended, {vacancy_id: when})

    async def ended_done(self, vacancy_id: str) -> None:
        await self._redis.zrem(self._keys.feeds_ended, vacancy_id)

    # --- poll state ----------------------------------------------------------------------

    async def state(self, source: str) -> SourceState:
        raw = await self._redis.hgetall(self._keys.feed_state(source))
        state = SourceState()
        for f in fields(SourceState):
            if f.name in raw:
                kind = type(getattr(state, f.name))
                setattr(state, f.name, kind(raw[f.name]))
        return state

    async def save_state(self, source: str, state: SourceState) -> None:
        mapping: dict[Any, Any] = {name: str(value) for name, value in asdict(state).items()}
        await self._redis.hset(self._keys.feed_state(source), mapping=mapping)
