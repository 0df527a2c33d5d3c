"""Availabilities in Redis, under the résumés' rules: kept ``retention_days`` from their
last write, deleted by ``forget`` (with the person's alert history), listed per person.

Every write is announced on a stream (``availabilities_changes``) so that each process's
``MatchIndex`` follows it (``jobfeed.matching.following``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.lua import load_script
from jobfeed.matching.models import MAX_PER_PERSON, Availability
from jobfeed.models import utcnow

PACKAGE = "jobfeed.matching"
CHANGES_LENGTH = 100_000  # entries the change stream keeps (about; a lagging follower reloads)


class AvailabilityRepository:
    def __init__(
        self, redis: Redis, keys: Keys, retention_days: int, zone: ZoneInfo | None = None
    ) -> None:
        """``zone``: whose days an availability's ``available_from`` counts in."""
        self._redis = redis
        self._keys = keys
        self.retention_days = retention_days
        self.zone = zone or ZoneInfo("Asia/Shanghai")
        self._save = load_script(redis, PACKAGE, "save")
        self._stop = load_script(redis, PACKAGE, "stop")
        self._delete = load_script(redis, PACKAGE, "delete")

    async def save(self, availability: Availability, now: datetime | None = None) -> bool:
        """Keep it (insert or replace); False when the person keeps ``MAX_PER_PERSON``."""
        k = self._keys
        expires = (now or utcnow()) + timedelta(days=self.retention_days)
        saved = await self._save(
            keys=[
                k.availabilities,
                k.person_availabilities(availability.person),
                k.availabilities_off,
                k.availabilities_expiry,
                k.availabilities_changes,
            ],
            args=[
                availability.id,
                availability.model_dump_json(exclude={"alerts"}),
                int(availability.alerts),
                expires.timestamp(),
                MAX_PER_PERSON,
                CHANGES_LENGTH,
            ],
        )
        return bool(saved)

    async def get(self, availability_id: str) -> Availability | None:
        found = await self.get_many([availability_id])
        return found[0] if found else None

    async def get_many(self, ids: list[str]) -> list[Availability]:
        if not ids:
            return []
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.hmget(self._keys.availabilities, ids)
            pipe.smismember(self._keys.availabilities_off, ids)
            rows, off = await pipe.execute()
        return [_load(raw, bool(stopped)) for raw, stopped in zip(rows, off, strict=True) if raw]

    async def of_person(self, person: int) -> list[Availability]:
        ids: Any = await self._redis.smembers(self._keys.person_availabilities(person))
        found = await self.get_many(sorted(ids))
        return sorted(found, key=lambda a: a.created_at)

    async def alerted(self, person: int) -> bool:
        """Whether any of the person's availabilities still wants alerts."""
        ids: Any = await self._redis.smembers(self._keys.person_availabilities(person))
        if not ids:
            return False
        off = await self._redis.smismember(self._keys.availabilities_off, list(ids))
        return not all(off)

    async def iter_all(self, batch: int = 2000) -> AsyncIterator[Availability]:
        off: Any = await self._redis.smembers(self._keys.availabilities_off)
        async for key, raw in self._redis.hscan_iter(self._keys.availabilities, count=batch):
            yield _load(raw, key in off)

    async def count(self) -> int:
        return int(await self._redis.hlen(self._keys.availabilities))

    async def stop(self, person: int) -> int:
        """Stop all of the person's alerts at once; returns how many availabilities they have."""
        k = self._keys
        return int(
            await self._stop(
                keys=[
                    k.person_availabilities(person),
                    k.availabilities_off,
                    k.availabilities_changes,
                ],
                args=[CHANGES_LENGTH],
            )
        )

    async def delete(self, person: int, availability_id: str) -> bool:
        """Delete one of the person's availabilities (someone else's id deletes nothing)."""
        mine = await self._redis.sismember(
            self._keys.person_availabilities(person), availability_id
        )
        return bool(mine) and await self._delete_ids([availability_id]) == 1

    async def forget(self, person: int) -> int:
        """Delete every availability of the person, what alerts remember of them and the
        invitations they got."""
        ids: Any = await self._redis.smembers(self._keys.person_availabilities(person))
        deleted = await self._delete_ids(sorted(ids))
        k = self._keys
        invited: Any = await self._redis.smembers(k.person_invitations(person))
        async with self._redis.pipeline(transaction=True) as pipe:
            for vacancy_id in invited:  # invitations (jobfeed.matching.invitations)
                pipe.hdel(k.invitations(vacancy_id), str(person))
            pipe.delete(
                k.person_availabilities(person),
                k.alerts_sent(person),
                k.alerts_digest(person),
                k.person_invitations(person),
                k.alerts_unopened(person),
                k.alerts_opened(person),
            )
            await pipe.execute()
        return deleted

    async def expire(self, now: datetime | None = None, limit: int = 500) -> int:
        """Delete the availabilities whose retention period has ended."""
        moment = (now or utcnow()).timestamp()
        ids: Any = await self._redis.zrangebyscore(
            self._keys.availabilities_expiry, "-inf", moment, start=0, num=limit
        )
        return await self._delete_ids(list(ids))

    async def _delete_ids(self, ids: list[str]) -> int:
        if not ids:
            return 0
        k = self._keys
        return int(
            await self._delete(
                keys=[
                    k.availabilities,
                    k.availabilities_off,
                    k.availabilities_expiry,
                    k.availabilities_changes,
                ],
                args=[k.person_availabilities("@"), CHANGES_LENGTH, *ids],
            )
        )


def _load(raw: str, stopped: bool) -> Availability:
    return Availability.model_validate_json(raw).model_copy(update={"alerts": not stopped})
