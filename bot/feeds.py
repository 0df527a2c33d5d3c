"""Putting the feed pipeline together for a process: importer, poller, auto-broadcasts."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from zoneinfo import ZoneInfo

from aiogram import Bot

from bot.broadcasting import quiet_hours
from bot.services import Services
from bot.telegram.username import bot_username as telegram_username
from jobfeed.broadcast.planner import BroadcastPlanner
from jobfeed.broadcast.plans import BroadcastPlans
from jobfeed.places import Places
from jobfeed.sources.autopost import FeedBroadcasts, Username
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
    return VacancyImporter(
        services.vacancies, ledger, normaliser, batch_size=batch_size, checker=services.checker
    )


def build_poller(
    services: Services,
    config: FeedsConfig,
    fetcher: Fetcher,
    on_report: OnReport | None = None,
) -> FeedPoller:
    ledger = FeedLedger(services.redis, services.keys)
    return FeedPoller(config, fetcher, build_importer(services), ledger, on_report=on_report)


def build_feed_broadcasts(
    services: Services, config: FeedsConfig, username: Username
) -> FeedBroadcasts:
    store = BroadcastPlans(services.redis, services.keys)
    planner = BroadcastPlanner(store, services.groups, services.vacancies, services.texts)
    return FeedBroadcasts(
        config,
        FeedLedger(services.redis, services.keys),
        planner,
        store,
        services.vacancies,
        username=username,
        quiet=quiet_hours(services.settings),
    )


def bot_username(services: Services, bot: Bot) -> Username:
    """The apply links' @username, looked up when first needed."""
    return partial(telegram_username, services.settings, bot)
