"""Putting the feed pipeline together for a process: importer, poller, auto-broadcasts."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.broadcasting import quiet_hours
from bot.services import Services
from handlers.posts import PostCheck
from jobfeed.broadcast.planner import BroadcastPlanner
from jobfeed.broadcast.plans import BroadcastPlans
from jobfeed.places import Places
from jobfeed.sources.autopost import FeedBroadcasts
from jobfeed.sources.config import FeedsConfig
from jobfeed.sources.fetch import Fetcher
from jobfeed.sources.importer import VacancyImporter
from jobfeed.sources.ledger import FeedLedger
from jobfeed.sources.normalise import Normaliser
from jobfeed.sources.place import PlaceResolver
from jobfeed.sources.poller import FeedPoller, OnReport


def build_importer(services: Services, *, batch_size: int = 500) -> VacancyImporter:
    settings = services.settings
    normaliser = Normaliser(
        PlaceResolver(Places.load()),
        ZoneInfo(settings.timezone),
        timedelta(days=settings.feed_default_expiry_days),
    )
    ledger = FeedLedger(services.redis, services.keys)
    return VacancyImporter(services.vacancies, ledger, normaliser, batch_size=batch_size)


def build_poller(
    services: Services,
    config: FeedsConfig,
    fetcher: Fetcher,
    on_report: OnReport | None = None,
) -> FeedPoller:
    ledger = FeedLedger(services.redis, services.keys)
    return FeedPoller(config, fetcher, build_importer(services), ledger, on_report=on_report)


def build_feed_broadcasts(services: Services, config: FeedsConfig) -> FeedBroadcasts:
    store = BroadcastPlans(services.redis, services.keys)
    planner = BroadcastPlanner(
        store, services.groups, services.vacancies, PostCheck(services.texts)
    )
    return FeedBroadcasts(
        config,
        FeedLedger(services.redis, services.keys),
        planner,
        store,
        services.vacancies,
        quiet=quiet_hours(services.settings),
    )
