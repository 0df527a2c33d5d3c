"""What recruiters and the labour office use of matching, held together: candidates per
vacancy, invitations, the two lists, the figures and the seekers' access log
(``bot.matchmaking`` makes it from the settings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from jobfeed.matching.access import SeekerAccessLog
from jobfeed.matching.candidates import CandidateFinder
from jobfeed.matching.digest import RecruiterDigest
from jobfeed.matching.figures import DayFigures, MatchingFigures
from jobfeed.matching.invitations import Invitations
from jobfeed.matching.reports import Reports


@dataclass
class Matchmaking:
    candidates: CandidateFinder
    invitations: Invitations
    reports: Reports
    figures: MatchingFigures
    access: SeekerAccessLog
    digest: RecruiterDigest  # recruiters' daily digest of new candidates (a job)
    report_days: int
    zone: ZoneInfo

    def today(self, now: datetime) -> date:
        return now.astimezone(self.zone).date()

    async def measured_days(self, now: datetime, days: int) -> list[DayFigures]:
        """The figures of the last ``days`` days, today's list sizes measured now."""
        unfilled, unmatched = await self.reports.sizes(now, self.report_days)
        await self.figures.list_sizes(now, unfilled, unmatched)
        return await self.figures.days(now, days)
