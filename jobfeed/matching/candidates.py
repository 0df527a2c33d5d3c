"""Who fits a vacancy (for its recruiter): the job seekers whose availability fits it,
best first, each with why (the trade, the place, the pay), their résumé's phone masked.

The people come from a ``MatchIndex`` that keeps every availability (alerts on or off);
only exact fits are candidates (the trade fits, the place is theirs, the pay meets their
minimum, they are available by today).
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from jobfeed.applications.masking import mask_phone
from jobfeed.applications.repository import ApplicationRepository
from jobfeed.matching.following import LiveMatches
from jobfeed.matching.invitations import InvitationOutcome, Invitations
from jobfeed.matching.matcher import NEAR_ANYWHERE, NEAR_CITY, NEAR_PROVINCE, Fit
from jobfeed.matching.models import Availability
from jobfeed.matching.repository import AvailabilityRepository
from jobfeed.models import Vacancy
from jobfeed.search.titles import monthly_pay

NEAR_NAMES = {NEAR_CITY: "city", NEAR_PROVINCE: "province", NEAR_ANYWHERE: "anywhere"}


class Why(BaseModel):
    """Why a person fits: their trade that fits the title, how near (``city``: the
    vacancy's city or the prefecture it lies in, ``province``, ``anywhere``, ``elsewhere``),
    their minimum pay against the vacancy's monthly pay."""

    trade: str
    trade_score: float
    place: str
    near: str
    min_pay: int | None
    pay: int | None


class Candidate(BaseModel):
    person: int
    availability_id: str
    trades: list[str]
    places: list[str]
    min_pay: int | None
    available_from: date
    why: Why
    has_resume: bool
    phone_masked: str | None
    experience_years: int | None
    invitation: InvitationOutcome | None  # None: not invited
    applied: bool


def why(fit: Fit, availability: Availability, vacancy: Vacancy) -> Why:
    near = NEAR_NAMES.get(fit.place, "elsewhere")
    names = [p.name for p in availability.places]
    return Why(
        trade=fit.trade or "不限",
        trade_score=round(fit.score, 1),
        place="、".join(names) if names else "不限",
        near=near,
        min_pay=availability.min_pay,
        pay=monthly_pay(vacancy),
    )


class CandidateFinder:
    def __init__(
        self,
        seekers: LiveMatches,
        availabilities: AvailabilityRepository,
        applications: ApplicationRepository,
        invitations: Invitations,
    ) -> None:
        """``seekers``: a follower whose index keeps stopped availabilities too."""
        self.seekers = seekers
        self._availabilities = availabilities
        self._applications = applications
        self._invitations = invitations

    async def fits(self, vacancy: Vacancy, today: date) -> list[Fit]:
        await self.seekers.sync()
        return self.seekers.index.fits(vacancy, today)

    async def for_vacancy(
        self, vacancy: Vacancy, today: date, limit: int = 20
    ) -> tuple[int, list[Candidate]]:
        """(how many fit, the best ``limit`` of them)."""
        exact = [f for f in await self.fits(vacancy, today) if f.exact]
        shown = exact[:limit]
        found = {
            a.id: a
            for a in await self._availabilities.get_many([f.availability_id for f in shown])
        }
        invited = await self._invitations.of_vacancy(vacancy.id)
        out: list[Candidate] = []
        for fit in shown:
            availability = found.get(fit.availability_id)
            if availability is None:
                continue
            resume = await self._applications.get_resume(fit.person)
            invitation = invited.get(fit.person)
            applied = await self._applications.applied_to(fit.person, vacancy.id)
            out.append(
                Candidate(
                    person=fit.person,
                    availability_id=availability.id,
                    trades=list(availability.trades),
                    places=[p.name for p in availability.places],
                    min_pay=availability.min_pay,
                    available_from=availability.available_from,
                    why=why(fit, availability, vacancy),
                    has_resume=resume is not None,
                    phone_masked=mask_phone(resume.phone) if resume else None,
                    experience_years=resume.experience_years if resume else None,
                    invitation=(
                        await self._invitations.outcome(invitation) if invitation else None
                    ),
                    applied=applied is not None,
                )
            )
        return len(exact), out
