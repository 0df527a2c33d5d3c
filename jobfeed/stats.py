"""Statistics for admins, aggregated from the other features' repositories.

Definitions (the README repeats them):

- a period is local calendar time in ``TIMEZONE``: "today" from local midnight, "7 days"
  from local midnight six days ago, both up to now;
- broadcasts are the *sending* broadcasts (not edits or withdrawals) that started in the
  period (scheduled ones count when they start); their deliveries, failures (by reason)
  and skips count in that period too, even the few sent after it ended: a broadcast is
  never split across two periods;
- queries and zero-result queries come from the search analytics (its days are local
  days too: ``SearchAnalytics`` is given the same time zone);
- applications are the applications filed in the period;
- groups are counted as they are now.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from jobfeed.applications.repository import ApplicationRepository
from jobfeed.broadcast.models import Action, ChannelProgress, Progress
from jobfeed.broadcast.plans import BroadcastPlans
from jobfeed.groups import GroupRepository
from jobfeed.models import utcnow
from jobfeed.search.analytics import SearchAnalytics, SearchSummary
from jobfeed.vacancies import VacancyRepository

PAGE = 200


class PeriodStats(BaseModel):
    start: datetime
    end: datetime
    broadcasts: int = 0
    targeted: int = 0
    delivered: int = 0
    failed: int = 0
    failures: dict[str, int] = Field(default_factory=dict)
    skipped: int = 0
    pending: int = 0
    queries: int = 0
    zero_result_queries: int = 0
    applications: int = 0
    # per source: the channel an application was filed through, or "web"
    applications_by_source: dict[str, int] = Field(default_factory=dict)
    # Deliveries and failures per channel (telegram, wecom-robot, ...).
    by_channel: dict[str, ChannelProgress] = Field(default_factory=dict)


class StatsReport(BaseModel):
    generated_at: datetime
    timezone: str
    today: PeriodStats
    week: PeriodStats
    groups_total: int
    groups_active: int
    groups_inactive: int


class SeriesPoint(BaseModel):
    start: datetime
    label: str
    value: int


class FunnelRow(BaseModel):
    vacancy_id: str
    title: str
    targeted: int
    delivered: int
    applications: int


@dataclass(frozen=True, slots=True)
class Window:
    start: datetime
    end: datetime

    def __contains__(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def started(progress: Progress) -> datetime:
    return progress.started_at or progress.created_at


class Stats:
    def __init__(
        self,
        *,
        groups: GroupRepository,
        broadcasts: BroadcastPlans,
        vacancies: VacancyRepository,
        applications: ApplicationRepository,
        search: SearchAnalytics | None,
        timezone: str,
    ) -> None:
        self._groups = groups
        self._broadcasts = broadcasts
        self._vacancies = vacancies
        self._applications = applications
        self._search = search
        self.timezone = timezone
        self._zone = ZoneInfo(timezone)

    # -- periods ---------------------------------------------------------------------------

    def days(self, count: int, now: datetime | None = None) -> Window:
        """The last ``count`` local calendar days, today included, up to now."""
        now = now or utcnow()
        midnight = now.astimezone(self._zone).replace(hour=0, minute=0, second=0, microsecond=0)
        return Window(midnight - timedelta(days=count - 1), now + timedelta(microseconds=1))

    # -- the report ------------------------------------------------------------------------

    async def report(self, now: datetime | None = None) -> StatsReport:
        now = now or utcnow()
        week = self.days(7, now)
        sends = await self.sends_since(week.start)
        groups = await self._groups.all()
        active = sum(1 for g in groups if g.active)
        return StatsReport(
            generated_at=now,
            timezone=self.timezone,
            today=await self.period(1, sends, now),
            week=await self.period(7, sends, now),
            groups_total=len(groups),
            groups_active=active,
            groups_inactive=len(groups) - active,
        )

    async def period(
        self, days: int, sends: Sequence[Progress], now: datetime | None = None
    ) -> PeriodStats:
        """The last ``days`` local days; ``sends`` must reach back that far."""
        window = self.days(days, now)
        inside = [p for p in sends if started(p) in window]
        failures: Counter[str] = Counter()
        by_channel: dict[str, ChannelProgress] = {}
        for progress in inside:
            failures.update(progress.failed)
            for name, part in progress.by_channel.items():
                total = by_channel.setdefault(name, ChannelProgress())
                for field in ("targeted", "delivered", "failed", "skipped"):
                    setattr(total, field, getattr(total, field) + getattr(part, field))
        searched = await self.queries(days, top=1, now=now)
        return PeriodStats(
            start=window.start,
            end=window.end,
            broadcasts=len(inside),
            targeted=sum(p.targeted for p in inside),
            delivered=sum(p.delivered for p in inside),
            failed=sum(failures.values()),
            failures=dict(failures.most_common()),
            skipped=sum(p.skipped_total for p in inside),
            pending=sum(p.pending for p in inside),
            queries=searched.searches,
            zero_result_queries=searched.zero_results,
            applications=await self._applications.count_between(window.start, window.end),
            applications_by_source=await self._applications.count_by_source(
                window.start, window.end
            ),
            by_channel=dict(sorted(by_channel.items())),
        )

    async def sends_since(self, start: datetime) -> list[Progress]:
        """Sending broadcasts that started at or after ``start`` (newest first).

        Broadcasts are listed by creation time; one created before ``start`` may have
        started after it (scheduled), so the scan goes a day further back.
        """
        horizon = start - timedelta(days=1)
        found: list[Progress] = []
        offset = 0
        while True:
            _, page = await self._broadcasts.recent(offset, PAGE)
            found.extend(p for p in page if p.action is Action.send and started(p) >= start)
            if len(page) < PAGE or page[-1].created_at < horizon:
                return found
            offset += PAGE

    # -- series for the charts -------------------------------------------------------------

    async def deliveries_by_hour(
        self, hours: int = 24, now: datetime | None = None
    ) -> list[SeriesPoint]:
        """Deliveries per local hour, by the hour their broadcast started."""
        now = now or utcnow()
        top = now.astimezone(self._zone).replace(minute=0, second=0, microsecond=0)
        starts = [top - timedelta(hours=i) for i in range(hours - 1, -1, -1)]
        sends = await self.sends_since(starts[0])
        return [
            SeriesPoint(
                start=start,
                label=start.strftime("%H"),
                value=sum(
                    p.delivered for p in sends if start <= started(p) < start + timedelta(hours=1)
                ),
            )
            for start in starts
        ]

    async def deliveries_by_day(
        self, days: int = 14, now: datetime | None = None
    ) -> list[SeriesPoint]:
        """Deliveries per local day, by the day their broadcast started."""
        window = self.days(days, now)
        sends = await self.sends_since(window.start)
        points = []
        for i in range(days):
            start = window.start + timedelta(days=i)
            day = Window(start, start + timedelta(days=1))
            points.append(
                SeriesPoint(
                    start=start,
                    label=start.strftime("%m-%d"),
                    value=sum(p.delivered for p in sends if started(p) in day),
                )
            )
        return points

    async def outcomes(self, days: int = 7, now: datetime | None = None) -> dict[str, int]:
        """Every outcome of the period's sends: ``delivered``, ``failed:<reason>``,
        ``skipped:<reason>`` and ``pending``."""
        window = self.days(days, now)
        found: Counter[str] = Counter()
        for progress in await self.sends_since(window.start):
            if started(progress) not in window:
                continue
            found["delivered"] += progress.delivered
            found.update({f"failed:{k}": v for k, v in progress.failed.items()})
            found.update({f"skipped:{k}": v for k, v in progress.skipped.items()})
            found["pending"] += progress.pending
        return {name: count for name, count in found.most_common() if count}

    async def funnel(self, limit: int = 8, days: int = 30) -> list[FunnelRow]:
        """Targeted -> delivered -> applications for the vacancies most recently sent."""
        window = self.days(days)
        per_vacancy: dict[str, list[int]] = {}
        for progress in await self.sends_since(window.start):
            for vacancy_id in progress.vacancy_ids:
                if vacancy_id not in per_vacancy and len(per_vacancy) >= limit:
                    continue
                totals = per_vacancy.setdefault(vacancy_id, [0, 0])
                totals[0] += progress.targeted
                totals[1] += progress.delivered
        titles = {v.id: v.title for v in await self._vacancies.get_many(per_vacancy)}
        rows = []
        for vacancy_id, (targeted, delivered) in per_vacancy.items():
            applications = await self._applications.count_for_vacancy(vacancy_id)
            rows.append(
                FunnelRow(
                    vacancy_id=vacancy_id,
                    title=titles.get(vacancy_id, vacancy_id),
                    targeted=targeted,
                    delivered=delivered,
                    applications=applications,
                )
            )
        return rows

    async def queries(
        self, days: int = 7, top: int = 20, now: datetime | None = None
    ) -> SearchSummary:
        """Searches per day and the top (and top zero-result) queries of the period."""
        if self._search is None:
            return SearchSummary([], [], [])
        return await self._search.summary(days=days, top=top, now=now)
