"""Who is who: admins (``ADMIN_IDS``), recruiters (approved by an admin), job seekers.

A recruiter applies with an employer name and stays ``pending`` until an admin
decides. Decisions are compare-and-set on the stored status, so two admins pressing
the same button, or one button pressed twice, decide once. Every application gets a
new ``version``; a chat button carries the version it was sent for, so a button left
over from an earlier application cannot decide a later one nobody has seen.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, cast

from pydantic import BaseModel, ConfigDict, Field, field_validator
from redis.asyncio import Redis

from jobfeed import legacy
from jobfeed.keys import Keys
from jobfeed.lua import load_script
from jobfeed.models import Role, ShortText, utcnow

EMPLOYER_MAX = 60


class RecruiterStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    revoked = "revoked"


class Recruiter(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    user_id: int
    name: str = Field(default="", max_length=128)
    employer: ShortText = Field(max_length=EMPLOYER_MAX)
    status: RecruiterStatus = RecruiterStatus.pending
    version: int = Field(default=0, ge=0)  # bumped by every application
    applied_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None
    decided_by: str | None = None  # "telegram:<user id>", "web:<account>" or "api"

    @field_validator("decided_by", mode="before")
    @classmethod
    def _old_actor(cls, value: Any) -> Any:
        return legacy.actor(value)

    @property
    def approved(self) -> bool:
        return self.status is RecruiterStatus.approved


def role_of(user_id: int, admin_ids: frozenset[int], recruiter: Recruiter | None) -> Role:
    if user_id in admin_ids:
        return "admin"
    if recruiter is not None and recruiter.approved:
        return "recruiter"
    return "seeker"


class Decision(BaseModel):
    """The outcome of an admin's decision; ``changed`` is False for a replayed press."""

    recruiter: Recruiter | None
    changed: bool
    stale: bool = False  # the decision named an earlier application than the current one


class RecruiterRepository:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys
        self._set_if = load_script(redis, "jobfeed", "set_if")

    async def get(self, user_id: int) -> Recruiter | None:
        raw = await self._redis.hget(self._keys.recruiters, str(user_id))
        return Recruiter.model_validate_json(raw) if raw else None

    async def approved(self, user_id: int) -> Recruiter | None:
        recruiter = await self.get(user_id)
        return recruiter if recruiter is not None and recruiter.approved else None

    async def role(self, user_id: int, admin_ids: frozenset[int]) -> Role:
        if user_id in admin_ids:
            return "admin"
        return role_of(user_id, admin_ids, await self.get(user_id))

    async def apply(self, user_id: int, name: str, employer: str) -> tuple[Recruiter, bool]:
        """File (or renew) an application; returns it and whether it is now pending.

        An approved recruiter's record is left alone (False): changing the employer of
        an approved recruiter would bypass the admin.
        """
        while True:
            raw = await self._raw(user_id)
            current = Recruiter.model_validate_json(raw) if raw else None
            if current is not None and current.approved:
                return current, False
            version = current.version + 1 if current is not None else 1
            candidate = Recruiter(
                user_id=user_id, name=name[:128], employer=employer, version=version
            )
            if await self._replace(user_id, raw, candidate):
                return candidate, True

    async def decide(
        self, user_id: int, *, approve: bool, actor: str, version: int | None = None
    ) -> Decision:
        """pending -> approved/rejected; anything else is left as it is.

        With ``version`` only that application is decided: a later one is ``stale``.
        """
        status = RecruiterStatus.approved if approve else RecruiterStatus.rejected
        return await self._transition(
            user_id, {RecruiterStatus.pending}, status, actor, version=version
        )

    async def revoke(self, user_id: int, actor: str) -> Decision:
        return await self._transition(
            user_id, {RecruiterStatus.approved}, RecruiterStatus.revoked, actor
        )

    async def _transition(
        self,
        user_id: int,
        allowed: set[RecruiterStatus],
        status: RecruiterStatus,
        actor: str,
        *,
        version: int | None = None,
    ) -> Decision:
        while True:
            raw = await self._raw(user_id)
            if not raw:
                return Decision(recruiter=None, changed=False)
            current = Recruiter.model_validate_json(raw)
            if version is not None and current.version != version:
                return Decision(recruiter=current, changed=False, stale=True)
            if current.status not in allowed:
                return Decision(recruiter=current, changed=False)
            updated = current.model_copy(
                update={"status": status, "decided_at": utcnow(), "decided_by": actor}
            )
            if await self._replace(user_id, raw, updated):
                return Decision(recruiter=updated, changed=True)

    async def _raw(self, user_id: int) -> str | None:
        return cast(str | None, await self._redis.hget(self._keys.recruiters, str(user_id)))

    async def _replace(self, user_id: int, read: str | None, new: Recruiter) -> bool:
        """Store ``new`` unless the record changed since it was ``read`` (another admin
        decided meanwhile): then the caller reads and decides again."""
        written = await self._set_if(
            keys=[self._keys.recruiters], args=[str(user_id), read or "", new.model_dump_json()]
        )
        return bool(written)

    async def all(self) -> list[Recruiter]:
        rows = await self._redis.hvals(self._keys.recruiters)
        recruiters = [Recruiter.model_validate_json(raw) for raw in rows]
        return sorted(recruiters, key=lambda r: r.applied_at, reverse=True)

    async def pending(self) -> list[Recruiter]:
        return [r for r in await self.all() if r.status is RecruiterStatus.pending]
