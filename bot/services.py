"""Everything a process needs at run time, opened once and closed once.

``Services.open`` is the one place where Redis clients and repositories are made;
handlers receive them by name through the Dispatcher (``handler_data``), the HTTP API
through the app's ``AppKey``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from redis.asyncio import Redis

from bot.config import Settings
from bot.searching import open_live_index
from bot.storage import RedisHandle, durability_warnings, open_redis
from bot.telegram.intake import receiver_name
from jobfeed.applications.flow import ResumeFlow
from jobfeed.applications.repository import ApplicationRepository
from jobfeed.broadcast.pacing import Pacer, PacingLimits
from jobfeed.broadcast.planner import BroadcastPlanner
from jobfeed.broadcast.plans import BroadcastPlans
from jobfeed.compliance.audit import AuditLog
from jobfeed.compliance.checker import PostChecker
from jobfeed.groups import GroupRepository
from jobfeed.intake import UpdateInbox
from jobfeed.keys import Keys
from jobfeed.places import Places
from jobfeed.roles import RecruiterRepository
from jobfeed.search.analytics import SearchAnalytics
from jobfeed.search.live import LiveIndex
from jobfeed.search.saved import SavedSearches
from jobfeed.search.service import SearchService
from jobfeed.search.throttle import ReplyGate, ReplyLimits
from jobfeed.stats import Stats
from jobfeed.submissions import SubmissionRepository
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
    broadcasts: BroadcastPlans
    planner: BroadcastPlanner
    pacer: Pacer  # the send budget of this bot token, shared by every process
    applications: ApplicationRepository
    places: Places
    recruiters: RecruiterRepository
    submissions: SubmissionRepository
    stats: Stats
    search: LiveIndex  # follows the vacancies once ``SearchFollower`` runs (bot.searching)
    search_analytics: SearchAnalytics
    saved_searches: SavedSearches
    search_gate: ReplyGate
    search_service: SearchService  # find, record, page: what every surface searches with
    resume_flow: ResumeFlow  # the résumé conversation's steps, for every channel
    checker: PostChecker  # the post checker every path runs (jobfeed.compliance)
    audit: AuditLog
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
        texts, groups, vacancies = (
            Texts(hr_licence=settings.hr_licence),
            GroupRepository(redis, keys),
            VacancyRepository(redis, keys),
        )
        broadcasts = BroadcastPlans(redis, keys)
        applications = ApplicationRepository(redis, keys, settings.resume_retention_days)
        planner = BroadcastPlanner(broadcasts, groups, vacancies, texts)
        submissions = SubmissionRepository(redis, keys)
        places = Places.load()
        pacer = Pacer(redis, keys, settings.bot_id, pacing_limits(settings))
        search_analytics = SearchAnalytics(redis, keys, tz=ZoneInfo(settings.timezone))
        search = await open_live_index(vacancies, redis, keys, places)
        saved_searches = SavedSearches(redis, keys)
        return cls(
            settings=settings,
            handle=handle,
            keys=keys,
            texts=texts,
            groups=groups,
            vacancies=vacancies,
            inbox=UpdateInbox(redis, keys, owner=receiver_name()),
            broadcasts=broadcasts,
            planner=planner,
            pacer=pacer,
            applications=applications,
            places=places,
            recruiters=RecruiterRepository(redis, keys),
            submissions=submissions,
            stats=Stats(
                groups=groups,
                broadcasts=broadcasts,
                vacancies=vacancies,
                applications=applications,
                search=search_analytics,
                timezone=settings.timezone,
            ),
            search=search,
            search_analytics=search_analytics,
            saved_searches=saved_searches,
            search_gate=ReplyGate(redis, keys, pacer, reply_limits(settings)),
            search_service=SearchService(search, vacancies, saved_searches, search_analytics),
            resume_flow=ResumeFlow(applications, vacancies),
            checker=PostChecker.load(),
            audit=AuditLog(redis, keys),
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
            "broadcasts": self.broadcasts,
            "places": self.places,
            "recruiters": self.recruiters,
            "submissions": self.submissions,
            "stats": self.stats,
            "search": self.search,
            "search_analytics": self.search_analytics,
            "saved_searches": self.saved_searches,
            "search_gate": self.search_gate,
            "search_service": self.search_service,
            "resume_flow": self.resume_flow,
            "checker": self.checker,
            **self.extra,
        }

    async def close(self) -> None:
        await self.handle.close()


def pacing_limits(settings: Settings) -> PacingLimits:
    return PacingLimits(
        global_rate=settings.global_rate, group_limit=settings.group_rate_per_minute
    )


def reply_limits(settings: Settings) -> ReplyLimits:
    return ReplyLimits(
        user_interval=settings.search_user_seconds,
        group_limit=settings.search_group_per_minute,
    )
