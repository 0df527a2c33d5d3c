"""Putting the feed pipeline together for a process (the importer, the poller)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.services import Services
from jobfeed.places import Places
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
