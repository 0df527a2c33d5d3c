"""What recruiters and the labour office use of matching, held together: candidates per
vacancy, invitations, the two lists, the figures and the seekers' access log
(``bot.matchmaking`` makes it from the settings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from jobfeed.matching.access import SeekerAccessLog
from jobfeed.matching.candidates import CandidateFinder
from jobfeed.matching.digest import RecruiterDigest
from jobfeed.matching.figures import DayFigures, MatchingFigures
from jobfeed.matching.invitations import Invitations
from jobfeed.matching.reports import Reports

SIZES_FRESH = timedelta(minutes=5)


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
        """The figures of the last ``days`` days, today's list sizes measured again when
        the last measurement is older than ``SIZES_FRESH`` (a pass over every open
        vacancy: about 4 s CPU for 1,000 of them and 100,000 job seekers)."""
        measured = await self.figures.sizes_measured(now)
        if measured is None or now - measured > SIZES_FRESH or now < measured:
            unfilled, unmatched = await self.reports.sizes(now, self.report_days)
            await self.figures.list_sizes(now, unfilled, unmatched)
        return await self.figures.days(now, days)
