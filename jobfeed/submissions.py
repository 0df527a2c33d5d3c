"""Vacancies recruiters submitted from chat: who, with which targeting, and what was decided.

One hash per submission. The decision is claimed with ``HSETNX``: whichever admin
(or replayed button press) comes first decides, every later attempt sees that
decision. The vacancy itself lives in ``VacancyRepository``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, field_validator
from redis.asyncio import Redis

from jobfeed import legacy
from jobfeed.keys import Keys
from jobfeed.models import GroupFilter, VacancyId, utcnow


class Decision(StrEnum):
    approved = "approved"
    rejected = "rejected"


class Submission(BaseModel):
    vacancy_id: VacancyId
    recruiter_id: int
    target: GroupFilter = Field(default_factory=GroupFilter)
    submitted_at: datetime = Field(default_factory=utcnow)
    decision: Decision | None = None
    decided_by: str | None = None  # "telegram:<user id>", "web:<account>" or "api"
    decided_at: datetime | None = None
    broadcast_id: str | None = None
    closed_at: datetime | None = None
    retracted_at: datetime | None = None  # the posts' edit or withdrawal was planned
    retraction_id: str | None = None  # its broadcast, if the vacancy had delivered posts

    @field_validator("decided_by", mode="before")
    @classmethod
    def _old_actor(cls, value: Any) -> Any:
        return legacy.actor(value)

    @property
    def pending(self) -> bool:
        return self.decision is None


def _from_hash(data: Mapping[Any, Any]) -> Submission:
    values: dict[str, Any] = {name: value for name, value in data.items() if value != ""}
    values["target"] = json.loads(values.get("target", "{}"))
    return Submission.model_validate(values)


class SubmissionRepository:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys

    async def next_vacancy_id(self) -> str:
        number = int(await self._redis.incr(self._keys.posted_vacancy_seq))
        return f"R-{number:05d}"

    async def create(self, submission: Submission) -> None:
        score = submission.submitted_at.timestamp()
        mapping: dict[Any, Any] = {
            "vacancy_id": submission.vacancy_id,
            "recruiter_id": str(submission.recruiter_id),
            "target": submission.target.model_dump_json(),
            "submitted_at": submission.submitted_at.isoformat(),
        }
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._keys.submission(submission.vacancy_id), mapping=mapping)
            pipe.zadd(self._keys.submissions, {submission.vacancy_id: score})
            pipe.zadd(
                self._keys.recruiter_vacancies(submission.recruiter_id),
                {submission.vacancy_id: score},
            )
            await pipe.execute()

    async def get(self, vacancy_id: str) -> Submission | None:
        data = await self._redis.hgetall(self._keys.submission(vacancy_id))
        return _from_hash(data) if data else None

    async def claim_decision(
        self, vacancy_id: str, decision: Decision, actor: str
    ) -> tuple[Submission | None, bool]:
        """Record the decision unless one exists; returns the submission and whether we won."""
        key = self._keys.submission(vacancy_id)
        if not await self._redis.exists(key):
            return None, False
        won = bool(await self._redis.hsetnx(key, "decision", decision.value))
        if won:
            await self._redis.hset(
                key, mapping={"decided_by": actor, "decided_at": utcnow().isoformat()}
            )
        return await self.get(vacancy_id), won

    async def set_broadcast(self, vacancy_id: str, broadcast_id: str) -> None:
        await self._redis.hset(self._keys.submission(vacancy_id), "broadcast_id", broadcast_id)

    async def mark_closed(self, vacancy_id: str) -> bool:
        """True the first time only."""
        key = self._keys.submission(vacancy_id)
        return bool(await self._redis.hsetnx(key, "closed_at", utcnow().isoformat()))

    async def set_retraction(self, vacancy_id: str, retraction_id: str | None) -> None:
        """Record that the closed vacancy's posts are being edited or withdrawn."""
        mapping: dict[Any, Any] = {"retracted_at": utcnow().isoformat()}
        if retraction_id is not None:
            mapping["retraction_id"] = retraction_id
        await self._redis.hset(self._keys.submission(vacancy_id), mapping=mapping)

    async def by_recruiter(self, recruiter_id: int, limit: int = 50) -> list[Submission]:
        ids = await self._redis.zrevrange(
            self._keys.recruiter_vacancies(recruiter_id), 0, limit - 1
        )
        return await self._many(ids)

    async def recent(self, limit: int = 200) -> list[Submission]:
        return await self._many(await self._redis.zrevrange(self._keys.submissions, 0, limit - 1))

    async def pending(self, limit: int = 200) -> list[Submission]:
        return [s for s in await self.recent(limit * 5) if s.pending][:limit]

    async def _many(self, ids: Iterable[Any]) -> list[Submission]:
        ids = list(ids)
        if not ids:
            return []
        async with self._redis.pipeline(transaction=False) as pipe:
            for vacancy_id in ids:
                pipe.hgetall(self._keys.submission(vacancy_id))
            rows = await pipe.execute()
        return [_from_hash(row) for row in rows if row]
