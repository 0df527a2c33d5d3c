"""Alerts in the web process: the two supervised background jobs
(``jobfeed.matching.alerts``) that match new vacancies to availabilities and send the
alerts. ``bot/resources.py`` makes them (resource ``alerts``) once the notifier exists; the
availability repository is the handlers' too (resource ``storage``)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from redis.asyncio import Redis

from bot.config import Settings
from bot.factories import quiet_hours
from bot.supervision import Supervised
from bot.telegram.intake import receiver_name
from jobfeed.broadcast.pacing import Pacer
from jobfeed.keys import Keys
from jobfeed.matching.alerts import AlertMatcher, AlertPolicy, AlertSender, Clock
from jobfeed.matching.digest import RecruiterDigest
from jobfeed.matching.figures import MatchingFigures
from jobfeed.matching.following import LiveMatches
from jobfeed.matching.matcher import MatchIndex
from jobfeed.matching.queue import AlertQueue
from jobfeed.matching.repository import AvailabilityRepository
from jobfeed.notify import Notifier
from jobfeed.places import Places
from jobfeed.search.index import SearchIndex
from jobfeed.vacancies import VacancyRepository


@dataclass
class Alerting:
    availabilities: AvailabilityRepository
    queue: AlertQueue
    matcher: AlertMatcher
    sender: AlertSender
    digest: RecruiterDigest | None = None

    def jobs(self) -> list[Supervised]:
        jobs = [
            Supervised("alert matching", self.matcher.run),
            Supervised("alert sending", self.sender.run),
        ]
        if self.digest is not None:
            jobs.append(Supervised("recruiter digest", self.digest.run))
        return jobs

    def set_clock(self, clock: Clock) -> None:
        """For tests: both jobs read the time from ``clock``."""
        self.matcher.clock = self.sender.clock = clock
        if self.digest is not None:
            self.digest.clock = clock


def availability_repository(
    settings: Settings, redis: Redis, keys: Keys
) -> AvailabilityRepository:
    zone = ZoneInfo(settings.timezone)
    return AvailabilityRepository(redis, keys, settings.resume_retention_days, zone)


def make_alerting(
    settings: Settings,
    redis: Redis,
    keys: Keys,
    *,
    availabilities: AvailabilityRepository,
    vacancies: VacancyRepository,
    places: Places,
    notifier: Notifier,
    pacer: Pacer,
    figures: MatchingFigures | None = None,
    digest: RecruiterDigest | None = None,
) -> Alerting:
    """``digest``: the recruiters' daily digest, run beside the alerts through the same
    notifier."""
    zone = ZoneInfo(settings.timezone)
    queue = AlertQueue(redis, keys, settings.resume_retention_days)
    policy = AlertPolicy(
        settings.alerts_per_day,
        zone,
        quiet_hours(settings),
        halve_after=settings.alerts_unopened_halving,
    )
    search = SearchIndex(places=places)  # its lexicon is loaded once per process
    live = LiveMatches(MatchIndex(search), availabilities, redis, keys)
    sender = AlertSender(
        queue,
        vacancies=vacancies,
        availabilities=availabilities,
        notifier=notifier,
        pacer=pacer,
        policy=policy,
        figures=figures,
    )
    matcher = AlertMatcher(
        redis,
        keys,
        live=live,
        vacancies=vacancies,
        availabilities=availabilities,
        queue=queue,
        policy=policy,
        consumer=receiver_name(),
        on_queued=sender.wake.set,
    )
    if digest is not None:
        digest.notifier = notifier
    return Alerting(availabilities, queue, matcher, sender, digest)
