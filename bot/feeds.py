"""Putting the feed pipeline together for ``python -m bot feed``: importer, poller,
auto-broadcasts, over one ``FeedLedger`` and one planner."""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from bot.config import Settings
from bot.factories import make_importer, make_texts, quiet_hours
from handlers.posts import PostCheck
from jobfeed.broadcast.planner import BroadcastPlanner
from jobfeed.broadcast.plans import BroadcastPlans
from jobfeed.groups import GroupRepository
from jobfeed.keys import Keys
from jobfeed.sources.autopost import FeedBroadcasts
from jobfeed.sources.config import FeedsConfig
from jobfeed.sources.fetch import Fetcher
from jobfeed.sources.ledger import FeedLedger
from jobfeed.sources.poller import FeedPoller
from jobfeed.vacancies import VacancyRepository


@dataclass(frozen=True)
class FeedPipeline:
    poller: FeedPoller
    broadcasts: FeedBroadcasts


def build_pipeline(
    settings: Settings,
    redis: Redis,
    keys: Keys,
    *,
    config: FeedsConfig,
    fetcher: Fetcher,
) -> FeedPipeline:
    """The poller imports what the sources bring; the broadcasts post it as each source's
    rules say."""
    vacancies = VacancyRepository(redis, keys)
    ledger = FeedLedger(redis, keys)
    plans = BroadcastPlans(redis, keys)
    texts = PostCheck(make_texts(settings))
    planner = BroadcastPlanner(plans, GroupRepository(redis, keys), vacancies, texts)
    broadcasts = FeedBroadcasts(
        config,
        ledger,
        planner,
        plans,
        vacancies,
        quiet=quiet_hours(settings),
    )
    importer = make_importer(settings, vacancies, ledger)
    poller = FeedPoller(config, fetcher, importer, ledger, on_report=broadcasts.on_report)
    return FeedPipeline(poller, broadcasts)
