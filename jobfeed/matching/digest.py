"""Each recruiter's daily digest: the job seekers who kept an availability in the last day
and fit one of the recruiter's open vacancies exactly (not yet invited, not applied), as
counts per vacancy with the way to see them (``/candidates``). Once a local day, from
``DIGEST_AT``, outside quiet hours; a recruiter with nothing new gets nothing.

A supervised job of the web process (``bot.matchmaking``); the clock is an input.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from redis.asyncio import Redis

from jobfeed.applications.repository import ApplicationRepository
from jobfeed.broadcast.quiet import QuietHours
from jobfeed.keys import Keys
from jobfeed.matching.candidates import CandidateFinder
from jobfeed.matching.invitations import Invitations
from jobfeed.matching.repository import AvailabilityRepository
from jobfeed.models import Vacancy, utcnow
from jobfeed.notify import CandidatesDigest, Delivery, Notifier
from jobfeed.periodic import every
from jobfeed.roles import RecruiterRepository, RecruiterStatus
from jobfeed.submissions import SubmissionRepository
from jobfeed.vacancies import VacancyRepository

log = logging.getLogger(__name__)

DIGEST_AT = time(9, 0)  # local time from which the day's digests go
CHECK_EVERY = 60.0  # seconds between looks
VACANCIES_PER_RECRUITER = 50
DAY_TTL = 3 * 86_400

Clock = Callable[[], datetime]


class RecruiterDigest:
    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        *,
        recruiters: RecruiterRepository,
        submissions: SubmissionRepository,
        vacancies: VacancyRepository,
        availabilities: AvailabilityRepository,
        applications: ApplicationRepository,
        invitations: Invitations,
        candidates: CandidateFinder,
        zone: ZoneInfo,
        quiet: QuietHours | None = None,
        clock: Clock = utcnow,
    ) -> None:
        self._redis = redis
        self._keys = keys
        self._recruiters = recruiters
        self._submissions = submissions
        self._vacancies = vacancies
        self._availabilities = availabilities
        self._applications = applications
        self._invitations = invitations
        self._candidates = candidates
        self._zone = zone
        self._quiet = quiet
        self.clock = clock
        self.notifier: Notifier | None = None  # set once the channel's notifier exists

    async def run(self, stop: asyncio.Event) -> None:
        await every(stop, CHECK_EVERY, self.step)

    async def step(self) -> int:
        """Send the digests due now; how many were sent."""
        now = self.clock()
        local = now.astimezone(self._zone)
        if self.notifier is None or local.time() < DIGEST_AT:
            return 0
        if self._quiet is not None and self._quiet.contains(now):
            return 0
        day = local.strftime("%Y%m%d")
        sent = 0
        for recruiter in await self._recruiters.all():
            if recruiter.status is not RecruiterStatus.approved:
                continue
            key = self._keys.recruiter_digest(recruiter.user_id, day)
            if not await self._redis.set(key, "1", ex=DAY_TTL, nx=True):
                continue  # sent today, or being sent by another process
            rows = await self.new_fits(recruiter.user_id, now)
            if not rows:
                continue
            delivery = await self.notifier.deliver(recruiter.user_id, CandidatesDigest(rows))
            if delivery is Delivery.failed:
                await self._redis.delete(key)  # tried again at the next look
            sent += delivery is Delivery.sent
        return sent

    async def new_fits(self, recruiter: int, now: datetime) -> tuple[tuple[Vacancy, int], ...]:
        """The recruiter's open vacancies with how many people new in the last day fit each."""
        since = now - timedelta(days=1)
        today = now.astimezone(self._zone).date()
        mine = await self._submissions.by_recruiter(recruiter, VACANCIES_PER_RECRUITER)
        out: list[tuple[Vacancy, int]] = []
        for vacancy in await self._vacancies.get_many(s.vacancy_id for s in mine):
            if vacancy.recruiter_id != recruiter or not vacancy.is_open(now):
                continue
            exact = [f for f in await self._candidates.fits(vacancy, today) if f.exact]
            found = await self._availabilities.get_many([f.availability_id for f in exact])
            new = {a.person for a in found if a.created_at >= since}
            invited = await self._invitations.of_vacancy(vacancy.id)
            count = 0
            for person in new - set(invited):
                if await self._applications.applied_to(person, vacancy.id) is None:
                    count += 1
            if count:
                out.append((vacancy, count))
        return tuple(out)
