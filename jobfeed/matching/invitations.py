"""Recruiters inviting the people who fit a vacancy (邀请报名): once per person and
vacancy, answered by applying (accepted) or by declining.

An invitation is kept in the vacancy's hash under the person (``HSETNX``: the first
invitation wins, a second press or another recruiter invites nobody twice). Whether it was
accepted is read from the applications when asked (the person applied to the vacancy
after it), so the résumé flow needs to know nothing of invitations. ``/forget`` deletes
a person's invitations with their availabilities (``AvailabilityRepository.forget``).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict
from redis.asyncio import Redis

from jobfeed.applications.repository import ApplicationRepository
from jobfeed.keys import Keys

FIGURES_TTL = 400 * 86_400  # a day's figures are kept for a year and a bit


class InvitationOutcome(StrEnum):
    pending = "pending"
    accepted = "accepted"  # applied to the vacancy
    declined = "declined"


class Invitation(BaseModel):
    model_config = ConfigDict(frozen=True)

    vacancy_id: str
    person: int
    by: int  # the recruiter (or admin) who invited
    at: datetime
    declined_at: datetime | None = None


class Invitations:
    def __init__(
        self, redis: Redis, keys: Keys, applications: ApplicationRepository, *, ttl_days: int
    ) -> None:
        """``ttl_days``: how long an invitation is kept (the retention period)."""
        self._redis = redis
        self._keys = keys
        self._applications = applications
        self._ttl = ttl_days * 86_400

    async def invite(self, invitation: Invitation, day: str) -> bool:
        """Record it; False when the person was invited to the vacancy already."""
        k, person = self._keys, invitation.person
        created = await self._redis.hsetnx(
            k.invitations(invitation.vacancy_id), str(person), invitation.model_dump_json()
        )
        if not created:
            return False
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.expire(k.invitations(invitation.vacancy_id), self._ttl)
            pipe.sadd(k.person_invitations(person), invitation.vacancy_id)
            pipe.expire(k.person_invitations(person), self._ttl)
            pipe.sadd(k.matching_invited(day), f"{person}:{invitation.vacancy_id}")
            pipe.expire(k.matching_invited(day), FIGURES_TTL)
            await pipe.execute()
        return True

    async def get(self, vacancy_id: str, person: int) -> Invitation | None:
        raw = await self._redis.hget(self._keys.invitations(vacancy_id), str(person))
        return Invitation.model_validate_json(raw) if raw else None

    async def of_vacancy(self, vacancy_id: str) -> dict[int, Invitation]:
        rows: Any = await self._redis.hgetall(self._keys.invitations(vacancy_id))
        return {int(p): Invitation.model_validate_json(raw) for p, raw in rows.items()}

    async def decline(self, vacancy_id: str, person: int, now: datetime) -> Invitation | None:
        """The person declines; None when they were not invited (or forgot it)."""
        found = await self.get(vacancy_id, person)
        if found is None:
            return None
        if found.declined_at is None:
            found = found.model_copy(update={"declined_at": now})
            await self._redis.hset(
                self._keys.invitations(vacancy_id), str(person), found.model_dump_json()
            )
        return found

    async def outcome(self, invitation: Invitation) -> InvitationOutcome:
        applied = await self._applications.applied_to(invitation.person, invitation.vacancy_id)
        if applied is not None:
            return InvitationOutcome.accepted
        return InvitationOutcome.declined if invitation.declined_at else InvitationOutcome.pending

    async def outcomes_of_day(self, day: str) -> dict[InvitationOutcome, int]:
        """How the invitations sent on a local day ended, so far."""
        members: Any = await self._redis.smembers(self._keys.matching_invited(day))
        counts = dict.fromkeys(InvitationOutcome, 0)
        for member in members:
            person, _, vacancy_id = str(member).partition(":")
            found = await self.get(vacancy_id, int(person))
            if found is not None:
                counts[await self.outcome(found)] += 1
        return counts
