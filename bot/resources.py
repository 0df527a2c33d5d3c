"""The resources of the web app of ``python -m bot run``, one cleanup context each.

They open in this order when the app starts and close in the reverse order when it stops
(``bot/app.py`` composes them, then the supervised jobs, which stop first; a resource that
fails to open closes those before it):

- ``metrics``: the process's ``Metrics`` (``GET /metrics``), first so that every resource
  after it reports to it, and the listener of ``METRICS_PORT`` while the app runs;
- ``storage``: Redis, and every repository over it, each made once; the post checker;
- ``search``: the live search index (about a second of CPU to warm) and the search use case;
- ``telegram``: the Bot and its session, the Dispatcher (handlers get their dependencies
  through its workflow data), the notifier, the approval workflow, the update pipeline;
- ``alerts``: the alert matcher and sender (``bot/alerting.py``), over the notifier.

Each stores what it makes under the typed keys of ``bot/appkeys.py``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from aiogram import Dispatcher
from aiohttp import web
from redis.asyncio import Redis

from bot.alerting import availability_repository, make_alerting
from bot.appkeys import (
    ALERTING,
    APPLICATIONS,
    APPROVALS,
    AUDIT,
    AVAILABILITIES,
    BATCH_REMINDERS,
    BATCHES,
    BOT,
    BROKERS,
    CHECKER,
    CHECKINS,
    DEAD_LETTERS,
    DISPATCHER,
    ESCALATIONS,
    FAQ,
    GROUPCARE,
    GROUPS,
    HIRING,
    INBOX,
    KEYS,
    LEDGER,
    LINKS,
    LIVE_INDEX,
    MATCHMAKING,
    METRICS,
    MODERATION,
    NOTIFIER,
    NOTIFIERS,
    PACER,
    PIPELINE,
    PLACEMENT_NOTIFIER,
    PLACEMENTS,
    PLACES,
    PLANNER,
    PLANS,
    RECRUITERS,
    REDIS,
    RELEASES,
    REPORTS,
    RESUME_FLOW,
    SEARCH,
    SEARCH_ANALYTICS,
    SETTINGS,
    STATS,
    SUBMISSIONS,
    TEXTS,
    VACANCIES,
    WELCOMES,
)
from bot.broadcasting import TelegramBroadcaster
from bot.config import Settings
from bot.factories import keys_of, make_pacer, make_texts, redis_handle
from bot.matchmaking import make_matchmaking
from bot.metrics import Metrics, count_rate_limits, listener
from bot.notifying import ChannelNotifiers
from bot.searching import open_live_index
from bot.telegram.cards import CardDelivery
from bot.telegram.dispatcher import create_dispatcher
from bot.telegram.factory import create_bot
from bot.telegram.intake import UpdatePipeline, receiver_name
from bot.telegram.links import TelegramLinks
from bot.telegram.notifier import TelegramNotifier
from bot.telegram.placements import TelegramPlacementNotifier
from bot.web.brokers import BrokerPages
from bot.wecom.robots import RobotRegistry
from bot.wecom.setup import credential_store
from handlers.posts import PostCheck
from jobfeed.applications.flow import ResumeFlow
from jobfeed.applications.repository import ApplicationRepository
from jobfeed.approvals import Approvals
from jobfeed.broadcast.planner import BroadcastPlanner
from jobfeed.broadcast.plans import BroadcastPlans
from jobfeed.brokers.repository import BrokerRepository
from jobfeed.compliance.audit import AuditLog
from jobfeed.compliance.checker import PostChecker
from jobfeed.compliance.release import Releases
from jobfeed.dead_letters import DeadLetters
from jobfeed.groupcare.escalation import Escalations
from jobfeed.groupcare.faq import FaqStore
from jobfeed.groupcare.moderation import Moderation
from jobfeed.groupcare.scams import ScamChecker
from jobfeed.groupcare.settings import GroupCareSettings, Policy
from jobfeed.groupcare.welcome import Welcomes
from jobfeed.groups import GroupRepository
from jobfeed.intake import UpdateInbox
from jobfeed.keys import Keys
from jobfeed.placements.batches import BatchReminders, BatchRepository
from jobfeed.placements.checkins import CheckinJob
from jobfeed.placements.hiring import Hiring
from jobfeed.placements.identity import IdNumbers
from jobfeed.placements.ledger import RewardRule
from jobfeed.placements.reports import Reports
from jobfeed.placements.repository import PlacementRepository
from jobfeed.places import Places
from jobfeed.replication import ReplicaWait
from jobfeed.roles import RecruiterRepository
from jobfeed.search.analytics import SearchAnalytics
from jobfeed.search.confusions import Confusions
from jobfeed.search.saved import SavedSearches
from jobfeed.search.service import SearchService
from jobfeed.search.throttle import ReplyGate, ReplyLimits
from jobfeed.sources.ledger import FeedLedger
from jobfeed.stats import Stats
from jobfeed.submissions import SubmissionRepository
from jobfeed.vacancies import VacancyRepository

Context = Callable[[web.Application], AsyncIterator[None]]
MakeDispatcher = Callable[..., Dispatcher]  # (settings, redis, keys, **workflow data)

CARDS = web.AppKey("cards", CardDelivery)  # for the card redelivery job only


async def metrics(app: web.Application) -> AsyncIterator[None]:
    app[METRICS] = counted = Metrics()
    async with listener(counted, app[SETTINGS]):
        yield


async def storage(app: web.Application) -> AsyncIterator[None]:
    settings, counted = app[SETTINGS], app[METRICS]
    async with redis_handle(settings) as handle:
        redis, keys = handle.client, keys_of(settings)
        app[REDIS], app[KEYS] = redis, keys
        counted.watch_redis(redis)
        _repositories(app, settings, redis, keys, handle.replica_wait)
        counted.backlog_of(app[INBOX].backlog)  # read when scraped, by this process only
        yield


def _repositories(
    app: web.Application,
    settings: Settings,
    redis: Redis,
    keys: Keys,
    replica_wait: ReplicaWait | None,
) -> None:
    app[TEXTS] = texts = make_texts(settings)
    app[PLACES] = Places.load()
    app[GROUPS] = groups = GroupRepository(redis, keys)
    app[VACANCIES] = vacancies = VacancyRepository(redis, keys)
    retention = settings.resume_retention_days
    app[APPLICATIONS] = applications = ApplicationRepository(
        redis, keys, retention, replica_wait=replica_wait
    )
    app[RESUME_FLOW] = ResumeFlow(applications, vacancies, observer=app[METRICS])
    app[SUBMISSIONS] = submissions = SubmissionRepository(redis, keys)
    app[RECRUITERS] = RecruiterRepository(redis, keys)
    app[PLANS] = plans = BroadcastPlans(redis, keys)
    app[PLANNER] = BroadcastPlanner(plans, groups, vacancies, PostCheck(texts))
    analytics = SearchAnalytics(redis, keys, tz=ZoneInfo(settings.timezone))
    app[SEARCH_ANALYTICS] = analytics
    app[STATS] = Stats(
        groups=groups,
        broadcasts=plans,
        vacancies=vacancies,
        applications=applications,
        search=analytics,
        timezone=settings.timezone,
    )
    app[LEDGER] = FeedLedger(redis, keys)
    app[INBOX] = UpdateInbox(redis, keys, owner=receiver_name(), replica_wait=replica_wait)
    app[DEAD_LETTERS] = DeadLetters(redis, keys)
    app[CHECKER] = PostChecker.load()
    app[AUDIT] = audit = AuditLog(redis, keys)
    app[RELEASES] = Releases(vacancies, submissions, audit, redis=redis, keys=keys)
    app[AVAILABILITIES] = availabilities = availability_repository(settings, redis, keys)
    app[MATCHMAKING] = make_matchmaking(
        settings,
        redis,
        keys,
        availabilities=availabilities,
        applications=applications,
        vacancies=vacancies,
        places=app[PLACES],
        recruiters=app[RECRUITERS],
        submissions=submissions,
    )
    _groupcare(app, settings, redis, keys)
    _placements(app, settings, redis, keys)


def _groupcare(app: web.Application, settings: Settings, redis: Redis, keys: Keys) -> None:
    app[GROUPCARE] = GroupCareSettings(
        redis,
        keys,
        welcome=settings.welcome_default,
        policy=Policy(settings.moderation_policy),
    )
    site = urlsplit(settings.public_base_url or "").netloc
    checker = ScamChecker.load(own_links=(site,) if site else ())
    app[MODERATION] = Moderation(redis, keys, checker)
    app[FAQ] = faq = FaqStore(redis, keys, confusions=Confusions.load())
    app[ESCALATIONS] = Escalations(redis, keys, faq)
    app[WELCOMES] = Welcomes(redis, keys, settings.welcome_interval_seconds)


def _placements(app: web.Application, settings: Settings, redis: Redis, keys: Keys) -> None:
    """Brokers, placements, check-ins' repositories and the ledger's reports."""
    zone = ZoneInfo(settings.timezone)
    app[PLACEMENTS] = placements = PlacementRepository(redis, keys, settings.checkin_months, zone)
    app[BROKERS] = brokers = BrokerRepository(redis, keys)
    app[RESUME_FLOW].referrer = brokers.code_of  # applications keep who brought the person
    app[HIRING] = Hiring(placements, brokers)
    ids = id_numbers(settings, redis, keys)  # None unless an office turned them on
    app[REPORTS] = Reports(placements, brokers, reward_rule(settings), ids)
    app[BATCHES] = BatchRepository(redis, keys, placements)


async def search(app: web.Application) -> AsyncIterator[None]:
    redis, keys = app[REDIS], app[KEYS]
    live = await open_live_index(app[VACANCIES], redis, keys, app[PLACES])
    app[LIVE_INDEX] = live
    saved = SavedSearches(redis, keys)
    app[SEARCH] = SearchService(
        live, app[VACANCIES], saved, app[SEARCH_ANALYTICS], observer=app[METRICS]
    )
    try:
        yield
    finally:
        await live.stop()  # the follower job stops it too; stopping twice is harmless


def telegram(make_dispatcher: MakeDispatcher = create_dispatcher) -> Context:
    async def context(app: web.Application) -> AsyncIterator[None]:
        settings, redis, keys = app[SETTINGS], app[REDIS], app[KEYS]
        bot = app[BOT] = create_bot(settings, app[INBOX])
        try:
            count_rate_limits(bot, app[METRICS])  # after the reply guard: every attempt
            _telegram_parts(app, settings, redis, keys, make_dispatcher)
            yield
        finally:
            if DISPATCHER in app:
                await app[DISPATCHER].storage.close()
            await bot.session.close()

    return context


def _telegram_parts(
    app: web.Application, settings: Settings, redis: Redis, keys: Keys, make: MakeDispatcher
) -> None:
    bot = app[BOT]
    app[PACER] = make_pacer(settings, redis, keys)
    # Every apply link (posts, search answers, web pages) is made by this one object.
    app[LINKS] = TelegramLinks(bot, settings.bot_username)
    notifier = TelegramNotifier(
        bot, app[TEXTS], app[APPLICATIONS], settings.admin_ids, links=app[LINKS]
    )
    # Other channels add the notifier of applicants who applied through them.
    app[NOTIFIER] = app[NOTIFIERS] = ChannelNotifiers(notifier)
    app[CARDS] = notifier.cards
    app[PLACEMENT_NOTIFIER] = placement_notifier = TelegramPlacementNotifier(
        notifier, app[TEXTS], settings.admin_ids, settings.checkin_months
    )
    app[CHECKINS] = CheckinJob(
        app[PLACEMENTS],
        placement_notifier,
        remind_after=timedelta(days=settings.checkin_remind_days),
    )
    app[BATCH_REMINDERS] = BatchReminders(app[BATCHES], placement_notifier)
    notifier.cards.observer = app[METRICS]
    # Approving starts a broadcast, which needs the bot (its username for apply links).
    broadcaster = TelegramBroadcaster(app[PLANNER], app[PLANS])
    app[APPROVALS] = Approvals(
        app[VACANCIES],
        app[SUBMISSIONS],
        broadcaster,
        on_feed_closed=app[LEDGER].vacancies_ended,
        checker=app[CHECKER],
    )
    dispatcher = app[DISPATCHER] = make(
        settings, redis, keys, **handler_data(app, settings, redis, keys)
    )
    telegram_metrics = app[METRICS].channel("telegram")
    app[PIPELINE] = UpdatePipeline(
        dispatcher, bot, app[INBOX], app[DEAD_LETTERS], observer=telegram_metrics
    )


async def alerts(app: web.Application) -> AsyncIterator[None]:
    """The alert jobs' parts (``bot/alerting.py``); they send through the notifier."""
    settings, redis, keys = app[SETTINGS], app[REDIS], app[KEYS]
    app[ALERTING] = make_alerting(
        settings,
        redis,
        keys,
        availabilities=app[AVAILABILITIES],
        vacancies=app[VACANCIES],
        places=app[PLACES],
        notifier=app[NOTIFIER],
        pacer=app[PACER],
        figures=app[MATCHMAKING].figures,
        digest=app[MATCHMAKING].digest,
    )
    yield


def handler_data(
    app: web.Application, settings: Settings, redis: Redis, keys: Keys
) -> dict[str, Any]:
    """What the Telegram handlers ask for by parameter name (the Dispatcher's workflow data)."""
    vacancies, applications = app[VACANCIES], app[APPLICATIONS]
    return {
        "admin_ids": settings.admin_ids,
        "texts": app[TEXTS],
        "groups": app[GROUPS],
        "vacancies": vacancies,
        "applications": applications,
        "broadcasts": app[PLANS],
        "places": app[PLACES],
        "recruiters": app[RECRUITERS],
        "submissions": app[SUBMISSIONS],
        "stats": app[STATS],
        "search": app[LIVE_INDEX],
        "search_gate": ReplyGate(redis, keys, app[PACER], reply_limits(settings)),
        "search_service": app[SEARCH],
        "resume_flow": app[RESUME_FLOW],
        "approvals": app[APPROVALS],
        "notifier": app[NOTIFIER],
        "links": app[LINKS],
        "checker": app[CHECKER],
        "availabilities": app[AVAILABILITIES],
        "groupcare": app[GROUPCARE],
        "moderation": app[MODERATION],
        "mute_hours": settings.moderation_mute_hours,
        "faq_store": app[FAQ],
        "escalations": app[ESCALATIONS],
        "welcomes": app[WELCOMES],
        "releases": app[RELEASES],
        "placements": app[PLACEMENTS],
        "brokers": app[BROKERS],
        "hiring": app[HIRING],
        "placement_notifier": app[PLACEMENT_NOTIFIER],
        "reports": app[REPORTS],
        "batches": app[BATCHES],
        "batch_notifier": app[PLACEMENT_NOTIFIER],
        "broker_page_link": BrokerPages(settings).link,
        "id_numbers": app[REPORTS].ids,
        "public_base_url": settings.public_base_url,
        "matchmaking": app[MATCHMAKING],
        "wecom_robots": RobotRegistry(redis, keys),
        "wecom_credentials": credential_store(settings, redis, keys),
    }


def reply_limits(settings: Settings) -> ReplyLimits:
    return ReplyLimits(
        user_interval=settings.search_user_seconds,
        group_limit=settings.search_group_per_minute,
    )


def reward_rule(settings: Settings) -> RewardRule:
    return RewardRule(yuan=settings.broker_reward_yuan, months=settings.broker_reward_months)


def id_numbers(settings: Settings, redis: Redis, keys: Keys) -> IdNumbers | None:
    """ID numbers, only when an office turned them on (key and purpose together)."""
    if settings.id_number_key is None or settings.id_number_purpose is None:
        return None
    key = settings.id_number_key.get_secret_value().encode()
    return IdNumbers(redis, keys, key, settings.id_number_purpose)
