"""The labour office's two lists, each with the nearest matches on the other side:

- 有活没人干 (``unfilled``): vacancies open for more than ``days`` days with at most
  ``few`` applications;
- 有人没活干 (``unmatched``): job seekers active in the last ``days`` days (an availability
  made, or an application filed, in that time) for whom no open vacancy fits, or whose
  applications of that time none was answered (interview, hired or rejected).

Both come from one pass: every open vacancy asks the seekers' index who fits it and how
near (``MatchIndex.fits``), so each side's nearest are the other side's best fits. Lists
filter by place (a place and what lies in it: 内蒙古 takes 通辽's vacancies and wishes, a
wish for 内蒙古 is in 通辽's list; "anywhere" wishes are in no place's list) and by trade.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from jobfeed.applications.models import ApplicationStatus
from jobfeed.applications.repository import ApplicationRepository
from jobfeed.matching.candidates import Why, why
from jobfeed.matching.following import LiveMatches
from jobfeed.matching.matcher import Fit
from jobfeed.matching.models import Availability
from jobfeed.matching.repository import AvailabilityRepository
from jobfeed.models import Vacancy
from jobfeed.places import Place, Places
from jobfeed.vacancies import VacancyRepository

NEAREST = 3
ELSEWHERE = 50  # per vacancy, people whose trade fits but who want to work elsewhere
ANSWERED = frozenset(
    {ApplicationStatus.interview, ApplicationStatus.hired, ApplicationStatus.rejected}
)
NO_MATCH, NO_ANSWER = "no_match", "no_answer"


class Near(BaseModel):
    """One of the nearest matches on the other side: a seeker (``id`` their seeker id)
    or a vacancy (``id`` its id); ``exact``: it fits on every count."""

    id: str
    label: str
    exact: bool
    why: Why


class UnfilledRow(BaseModel):
    vacancy_id: str
    title: str
    employer: str
    city: str
    province: str
    posted_at: datetime
    days_open: int
    applications: int
    fitting: int  # seekers who fit it exactly
    nearest: list[Near]


class UnmatchedRow(BaseModel):
    seeker_id: int
    trades: list[str]
    places: list[str]
    min_pay: int | None
    active_at: datetime
    reasons: list[str]  # no_match, no_answer
    applications: int  # filed in the period
    answered: int
    fitting: int  # open vacancies that fit them exactly
    nearest: list[Near]


@dataclass(frozen=True, slots=True)
class ReportFilter:
    days: int
    city: str | None = None
    trade: str | None = None


@dataclass
class _Grid:
    vacancies: dict[str, Vacancy] = field(default_factory=dict)
    by_vacancy: dict[str, list[Fit]] = field(default_factory=dict)
    by_person: dict[int, list[tuple[Fit, str]]] = field(default_factory=lambda: defaultdict(list))


class Reports:
    def __init__(
        self,
        seekers: LiveMatches,
        vacancies: VacancyRepository,
        availabilities: AvailabilityRepository,
        applications: ApplicationRepository,
        places: Places,
        *,
        zone: ZoneInfo,
        few: int = 0,
    ) -> None:
        """``few``: a vacancy with at most this many applications is unfilled."""
        self._seekers = seekers
        self._vacancies = vacancies
        self._availabilities = availabilities
        self._applications = applications
        self._places = places
        self._zone = zone
        self.few = few

    async def unfilled(
        self, now: datetime, where: ReportFilter, grid: _Grid | None = None
    ) -> list[UnfilledRow]:
        grid = grid or await self._grid(now)
        wanted = self._place(where.city)
        availabilities = await self._availability_map(grid)
        rows: list[UnfilledRow] = []
        for vacancy in grid.vacancies.values():
            if vacancy.posted_at > now - timedelta(days=where.days):
                continue
            if where.city and not self._vacancy_in(vacancy, where.city, wanted):
                continue
            if where.trade and not self._seekers.index.trade_fits(where.trade, vacancy.title):
                continue
            applications = await self._applications.count_for_vacancy(vacancy.id)
            if applications > self.few:
                continue
            fits = grid.by_vacancy.get(vacancy.id, [])
            nearest = [
                Near(
                    id=str(f.person),
                    label=_wish_label(a),
                    exact=f.exact,
                    why=why(f, a, vacancy),
                )
                for f in fits[:NEAREST]
                if (a := availabilities.get(f.availability_id)) is not None
            ]
            rows.append(
                UnfilledRow(
                    vacancy_id=vacancy.id,
                    title=vacancy.title,
                    employer=vacancy.employer,
                    city=vacancy.city,
                    province=vacancy.province,
                    posted_at=vacancy.posted_at,
                    days_open=(now - vacancy.posted_at).days,
                    applications=applications,
                    fitting=sum(f.exact for f in fits),
                    nearest=nearest,
                )
            )
        rows.sort(key=lambda r: (r.posted_at, r.vacancy_id))
        return rows

    async def unmatched(
        self, now: datetime, where: ReportFilter, grid: _Grid | None = None
    ) -> list[UnmatchedRow]:
        grid = grid or await self._grid(now)
        since = now - timedelta(days=where.days)
        wanted = self._place(where.city)
        people: dict[int, list[Availability]] = defaultdict(list)
        async for availability in self._availabilities.iter_all():
            people[availability.person].append(availability)
        rows: list[UnmatchedRow] = []
        for person, theirs in people.items():
            if where.city and not any(self._wish_in(a, where.city, wanted) for a in theirs):
                continue
            if where.trade and not any(
                self._seekers.index.trade_fits(where.trade, t) for a in theirs for t in a.trades
            ):
                continue
            applied = [
                a
                for a in await self._applications.for_applicant(person, limit=100)
                if a.created_at >= since
            ]
            latest = max([a.created_at for a in theirs] + [a.created_at for a in applied])
            if latest < since:
                continue
            fits = sorted(grid.by_person.get(person, []), key=lambda pair: pair[0].rank())
            exact = sum(f.exact for f, _ in fits)
            answered = sum(a.status in ANSWERED for a in applied)
            reasons = []
            if not exact:
                reasons.append(NO_MATCH)
            if applied and not answered:
                reasons.append(NO_ANSWER)
            if not reasons:
                continue
            first = min(theirs, key=lambda a: a.created_at)
            by_id = {a.id: a for a in theirs}
            nearest = [
                Near(
                    id=vacancy_id,
                    label=f"{v.title} · {v.city}",
                    exact=f.exact,
                    why=why(f, by_id.get(f.availability_id, first), v),
                )
                for f, vacancy_id in fits[:NEAREST]
                if (v := grid.vacancies.get(vacancy_id)) is not None
            ]
            rows.append(
                UnmatchedRow(
                    seeker_id=person,
                    trades=list(dict.fromkeys(t for a in theirs for t in a.trades)),
                    places=list(dict.fromkeys(p.name for a in theirs for p in a.places)),
                    min_pay=min(
                        (a.min_pay for a in theirs if a.min_pay is not None), default=None
                    ),
                    active_at=latest,
                    reasons=reasons,
                    applications=len(applied),
                    answered=answered,
                    fitting=exact,
                    nearest=nearest,
                )
            )
        rows.sort(key=lambda r: (r.active_at, r.seeker_id))
        return rows

    async def sizes(self, now: datetime, days: int) -> tuple[int, int]:
        """How long both lists are, unfiltered (for the figures)."""
        where, grid = ReportFilter(days), await self._grid(now)
        unfilled = await self.unfilled(now, where, grid)
        return len(unfilled), len(await self.unmatched(now, where, grid))

    # --- the pass over open vacancies -------------------------------------------------

    async def _grid(self, now: datetime) -> _Grid:
        await self._seekers.sync()
        index, today = self._seekers.index, now.astimezone(self._zone).date()
        grid = _Grid()
        offset, page = 0, 500
        while True:
            total, chunk = await self._vacancies.active_page(offset=offset, limit=page)
            for vacancy in chunk:
                if not vacancy.is_open(now):
                    continue
                grid.vacancies[vacancy.id] = vacancy
                fits = index.fits(vacancy, today, elsewhere=ELSEWHERE)
                grid.by_vacancy[vacancy.id] = fits
                for fit in fits:
                    grid.by_person[fit.person].append((fit, vacancy.id))
                await asyncio.sleep(0)  # a few ms each: let the process's other work run
            offset += page
            if offset >= total:
                return grid

    async def _availability_map(self, grid: _Grid) -> dict[str, Availability]:
        ids = {f.availability_id for fits in grid.by_vacancy.values() for f in fits[:NEAREST]}
        return {a.id: a for a in await self._availabilities.get_many(sorted(ids))}

    # --- filters by place ---------------------------------------------------------------

    def _place(self, city: str | None) -> Place | None:
        if not city:
            return None
        name, province = self._places.normalise(city)
        return self._places.get(name, province)

    def _vacancy_in(self, vacancy: Vacancy, city: str, wanted: Place | None) -> bool:
        if wanted is None:
            return city in {vacancy.city, vacancy.province}
        name, province = self._places.normalise(vacancy.city, vacancy.province)
        place = self._places.get(name, province)
        if place is None:
            return wanted.name in {name, province}
        return wanted.contains(place)

    def _wish_in(self, availability: Availability, city: str, wanted: Place | None) -> bool:
        for wish in availability.places:
            if wanted is None:
                if city in {wish.name, wish.province}:
                    return True
                continue
            place = self._places.get(wish.name, wish.province)
            if place is not None and (wanted.contains(place) or place.contains(wanted)):
                return True
        return False


def _wish_label(availability: Availability) -> str:
    trades = "、".join(availability.trades) or "不限工种"
    places = "、".join(p.name for p in availability.places) or "不限地点"
    pay = f" · {availability.min_pay}以上" if availability.min_pay is not None else ""
    return f"{trades} · {places}{pay}"
