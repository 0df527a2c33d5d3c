"""Alerts in the web process: the availability repository for the handlers, and the two
supervised background jobs (``jobfeed.matching.alerts``) that match and send."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from aiogram import Dispatcher

from bot.broadcasting import quiet_hours
from bot.services import Services
from bot.supervision import Supervised
from bot.telegram.intake import receiver_name
from jobfeed.matching.alerts import AlertMatcher, AlertPolicy, AlertSender, Clock
from jobfeed.matching.following import LiveMatches
from jobfeed.matching.matcher import MatchIndex
from jobfeed.matching.queue import AlertQueue
from jobfeed.matching.repository import AvailabilityRepository
from jobfeed.notify import Notifier
from jobfeed.search.index import SearchIndex


@dataclass
class Alerting:
    availabilities: AvailabilityRepository
    queue: AlertQueue
    matcher: AlertMatcher
    sender: AlertSender

    def jobs(self) -> list[Supervised]:
        return [
            Supervised("alert matching", self.matcher.run),
            Supervised("alert sending", self.sender.run),
        ]

    def set_clock(self, clock: Clock) -> None:
        """For tests: both jobs read the time from ``clock``."""
        self.matcher.clock = self.sender.clock = clock


def open_alerting(services: Services, notifier: Notifier, dispatcher: Dispatcher) -> Alerting:
    settings, redis, keys = services.settings, services.redis, services.keys
    zone = ZoneInfo(settings.timezone)
    availabilities = AvailabilityRepository(redis, keys, settings.resume_retention_days, zone)
    dispatcher["availabilities"] = availabilities
    queue = AlertQueue(redis, keys, settings.resume_retention_days)
    policy = AlertPolicy(settings.alerts_per_day, zone, quiet_hours(settings))
    search = SearchIndex(places=services.places)  # its lexicon is loaded once per process
    live = LiveMatches(MatchIndex(search), availabilities, redis, keys)
    sender = AlertSender(
        queue,
        vacancies=services.vacancies,
        availabilities=availabilities,
        notifier=notifier,
        pacer=services.pacer,
        policy=policy,
    )
    matcher = AlertMatcher(
        redis,
        keys,
        live=live,
        vacancies=services.vacancies,
        availabilities=availabilities,
        queue=queue,
        policy=policy,
        consumer=receiver_name(),
        on_queued=sender.wake.set,
    )
    return Alerting(availabilities, queue, matcher, sender)
