"""Everything a process needs at run time, opened once and closed once.

``Services.open`` is the one place where Redis clients and repositories are made;
handlers receive them by name through the Dispatcher (``handler_data``), the HTTP API
through the app's ``AppKey``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis

from bot.config import Settings
from bot.storage import RedisHandle, durability_warnings, open_redis
from jobfeed.applications.repository import ApplicationRepository
from jobfeed.groups import GroupRepository
from jobfeed.intake import UpdateInbox
from jobfeed.keys import Keys
from jobfeed.texts import Texts
from jobfeed.vacancies import VacancyRepository

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    handle: RedisHandle
    keys: Keys
    texts: Texts
    groups: GroupRepository
    vacancies: VacancyRepository
    inbox: UpdateInbox
    applications: ApplicationRepository
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def redis(self) -> Redis:
        return self.handle.client

    @classmethod
    async def open(cls, settings: Settings) -> Services:
        handle = await open_redis(settings.redis_url, settings.data_dir)
        for warning in await durability_warnings(handle.client):
            log.warning("Redis durability: %s", warning)
        keys = Keys(prefix=settings.redis_prefix)
        redis = handle.client
        return cls(
            settings=settings,
            handle=handle,
            keys=keys,
            texts=Texts(),
            groups=GroupRepository(redis, keys),
            vacancies=VacancyRepository(redis, keys),
            inbox=UpdateInbox(redis, keys),
            applications=ApplicationRepository(redis, keys, settings.resume_retention_days),
        )

    def handler_data(self) -> dict[str, Any]:
        """What handlers can ask for by parameter name."""
        return {
            "settings": self.settings,
            "admin_ids": self.settings.admin_ids,
            "keys": self.keys,
            "texts": self.texts,
            "groups": self.groups,
            "vacancies": self.vacancies,
            "applications": self.applications,
            **self.extra,
        }

    async def close(self) -> None:
        await self.handle.close()
