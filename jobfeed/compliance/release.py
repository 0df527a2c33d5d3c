"""An admin lets a held vacancy through, with a reason that goes into the audit log.

The vacancy keeps its findings and records the override; it becomes ``pending`` when a
recruiter's submission still waits for the admins' decision (the ordinary approval then
broadcasts it), else ``active``. Flags (e.g. age limits) are part of what the audit
entry records as seen.

Two admins releasing at once (the API and the chat button, say) release it once: a
release holds a short claim on the vacancy (``SET NX PX``) while it reads and writes, and
the second finds it claimed, or released already, and is told it is not held (the
claim is ``jobfeed/scripts/data_lease.lua``, the project's owner-token lease).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import datetime

from redis.asyncio import Redis

from jobfeed.compliance.audit import AuditEntry, AuditLog
from jobfeed.compliance.findings import Override, Review
from jobfeed.keys import Keys
from jobfeed.lua import load_script
from jobfeed.models import Vacancy, VacancyStatus, utcnow
from jobfeed.submissions import SubmissionRepository
from jobfeed.vacancies import VacancyRepository

log = logging.getLogger(__name__)
RELEASE = "compliance.release"
CLAIM_MS = 10_000  # a release that died mid-way frees the vacancy after this long


class NotHeld(ValueError):
    """Only a held vacancy can be released."""


class Releases:
    def __init__(
        self,
        vacancies: VacancyRepository,
        submissions: SubmissionRepository,
        audit: AuditLog,
        *,
        redis: Redis,
        keys: Keys,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._vacancies = vacancies
        self._submissions = submissions
        self._audit = audit
        self._keys = keys
        self._clock = clock
        self._lease = load_script(redis, "jobfeed", "data_lease")  # take, drop

    async def release(self, vacancy_id: str, actor: str, reason: str) -> Vacancy | None:
        """The released vacancy; None if there is none; ``NotHeld`` if it is not held
        (or another release of it is under way)."""
        claim, token = [self._keys.release_claim(vacancy_id)], secrets.token_hex(8)
        if not int(await self._lease(keys=claim, args=[token, "take", CLAIM_MS])):
            raise NotHeld(f"vacancy {vacancy_id} is being released")
        try:
            return await self._release(vacancy_id, actor, reason)
        finally:
            await self._lease(keys=claim, args=[token, "drop", 0])

    async def _release(self, vacancy_id: str, actor: str, reason: str) -> Vacancy | None:
        vacancy = await self._vacancies.get(vacancy_id)
        if vacancy is None:
            return None
        if vacancy.status is not VacancyStatus.held:
            raise NotHeld(f"vacancy {vacancy_id} is {vacancy.status.value}, not held")
        now = self._clock()
        reason = reason.strip()
        review = vacancy.compliance or Review()
        review = review.model_copy(update={"override": Override(by=actor, reason=reason, at=now)})
        submission = await self._submissions.get(vacancy_id)
        waiting = submission is not None and submission.decision is None
        status = VacancyStatus.pending if waiting else VacancyStatus.active
        released = vacancy.model_copy(
            update={"compliance": review, "status": status, "updated_at": now}
        )
        entry = AuditEntry(
            at=now,
            actor=actor,
            action=RELEASE,
            vacancy_id=vacancy_id,
            reason=reason,
            findings=review.findings,
        )
        await self._vacancies.save_many(
            [released], also=lambda pipe: self._audit.queue(pipe, entry)
        )
        log.info("Vacancy %s released by %s: %s", vacancy_id, actor, reason)
        return released
