"""One place that builds each object a process needs from its settings.

Each command builds only what it uses: ``python -m bot import vacancies`` opens Redis and
makes an importer, nothing else; ``python -m bot run`` assembles the web app from the
resources in ``bot/resources.py`` (one aiohttp ``cleanup_ctx`` each), which use these
functions and make what only the web app needs. Repositories and the planner need no
factory: their constructor (Redis client, key names) is one. This module imports neither
aiogram nor the web app nor the search index (tests/test_composition.py checks).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from redis.asyncio import Redis

from bot.config import Settings
from bot.storage import RedisHandle, durability_warnings, open_configured
from jobfeed.broadcast.pacing import Pacer, PacingLimits
from jobfeed.broadcast.quiet import QuietHours
from jobfeed.compliance.checker import PostChecker
from jobfeed.keys import Keys
from jobfeed.migrations import migrate
from jobfeed.places import Places
from jobfeed.sources.importer import VacancyImporter
from jobfeed.sources.ledger import FeedLedger
from jobfeed.sources.normalise import Normaliser
from jobfeed.sources.place import PlaceResolver
from jobfeed.texts import Texts
from jobfeed.vacancies import VacancyRepository

if TYPE_CHECKING:
    from bot.wecom.wiring import WeComChannels

log = logging.getLogger(__name__)


@asynccontextmanager
async def redis_handle(settings: Settings) -> AsyncIterator[RedisHandle]:
    """The process's Redis (``REDIS_SENTINELS``, ``REDIS_URL`` or the embedded one), closed
    on the way out. Its ``replica_wait`` (``REDIS_WAIT_REPLICAS``) goes to the update inbox
    and the application repository: their confirmed writes wait for a replica."""
    handle = await open_configured(settings)
    try:
        await migrate(handle.client, keys_of(settings))  # before anything reads the data
        for warning in await durability_warnings(handle.client):
            log.warning("Redis durability: %s", warning)
        yield handle
    finally:
        await handle.close()


def keys_of(settings: Settings) -> Keys:
    return Keys(prefix=settings.redis_prefix)


def make_texts(settings: Settings) -> Texts:
    """The bot's texts; every post names ``HR_LICENCE`` (人力资源服务许可证), if set."""
    return Texts(hr_licence=settings.hr_licence)


def make_wecom(settings: Settings, redis: Redis, keys: Keys) -> WeComChannels:
    """WeCom's broadcast channels (group robots need no credentials: always on)."""
    from bot.wecom.setup import credential_store  # noqa: PLC0415 - only senders load it
    from bot.wecom.wiring import WeComChannels  # noqa: PLC0415

    return WeComChannels.of(
        redis,
        keys,
        api_base=settings.wecom_api_base,
        credentials=credential_store(settings, redis, keys),
        public_base_url=settings.public_base_url,
        hr_licence=settings.hr_licence,
    )


def pacing_limits(settings: Settings) -> PacingLimits:
    return PacingLimits(
        global_rate=settings.global_rate, group_limit=settings.group_rate_per_minute
    )


def make_pacer(settings: Settings, redis: Redis, keys: Keys) -> Pacer:
    """The send budget of this bot token, shared by every process that sends."""
    return Pacer(redis, keys, settings.bot_id, pacing_limits(settings))


def quiet_hours(settings: Settings) -> QuietHours | None:
    """``QUIET_HOURS`` in ``TIMEZONE``, if set: when no broadcast posts."""
    if not settings.quiet_hours:
        return None
    return QuietHours.parse(settings.quiet_hours, settings.timezone)


def make_importer(
    settings: Settings,
    vacancies: VacancyRepository,
    ledger: FeedLedger,
    *,
    places: Places | None = None,
    batch_size: int = 500,
    checker: PostChecker | None = None,
) -> VacancyImporter:
    normaliser = Normaliser(
        PlaceResolver(places or Places.load()),
        ZoneInfo(settings.timezone),
        timedelta(days=settings.feed_default_expiry_days),
    )
    return VacancyImporter(vacancies, ledger, normaliser, batch_size=batch_size, checker=checker)
