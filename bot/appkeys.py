"""Typed keys for what the aiohttp application of ``python -m bot run`` holds.

``bot/resources.py`` fills them (one ``cleanup_ctx`` per resource) before the app
serves; handlers read the one they need: ``request.app[VACANCIES]`` in the API,
``request.config_dict[VACANCIES]`` in the dashboard sub-application.
"""

from __future__ import annotations

import asyncio

from aiogram import Bot, Dispatcher
from aiohttp import web
from redis.asyncio import Redis

from bot.alerting import Alerting
from bot.config import Settings
from bot.metrics import Metrics
from bot.notifying import ChannelNotifiers
from bot.readiness import Readiness
from bot.telegram.intake import UpdatePipeline
from jobfeed.applications.flow import ResumeFlow
from jobfeed.applications.repository import ApplicationRepository
from jobfeed.approvals import Approvals
from jobfeed.broadcast.pacing import Pacer
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
from jobfeed.groupcare.settings import GroupCareSettings
from jobfeed.groupcare.welcome import Welcomes
from jobfeed.groups import GroupRepository
from jobfeed.intake import UpdateInbox
from jobfeed.keys import Keys
from jobfeed.links import Links
from jobfeed.matching.matchmaking import Matchmaking
from jobfeed.matching.repository import AvailabilityRepository
from jobfeed.notify import Notifier
from jobfeed.placements.batches import BatchReminders, BatchRepository
from jobfeed.placements.checkins import CheckinJob, PlacementNotifier
from jobfeed.placements.hiring import Hiring
from jobfeed.placements.reports import Reports
from jobfeed.placements.repository import PlacementRepository
from jobfeed.places import Places
from jobfeed.roles import RecruiterRepository
from jobfeed.search.analytics import SearchAnalytics
from jobfeed.search.live import LiveIndex
from jobfeed.search.service import SearchService
from jobfeed.sources.ledger import FeedLedger
from jobfeed.stats import Stats
from jobfeed.submissions import SubmissionRepository
from jobfeed.texts import Texts
from jobfeed.vacancies import VacancyRepository

# Set by create_app.
SETTINGS = web.AppKey("settings", Settings)
STOP = web.AppKey("stop", asyncio.Event)
READINESS = web.AppKey("readiness", Readiness)
# resources.metrics: what this process counts (GET /metrics), first so that all report.
METRICS = web.AppKey("metrics", Metrics)
# resources.storage: Redis and the repositories over it.
REDIS = web.AppKey("redis", Redis)
KEYS = web.AppKey("keys", Keys)
TEXTS = web.AppKey("texts", Texts)
PLACES = web.AppKey("places", Places)
GROUPS = web.AppKey("groups", GroupRepository)
VACANCIES = web.AppKey("vacancies", VacancyRepository)
APPLICATIONS = web.AppKey("applications", ApplicationRepository)
RESUME_FLOW = web.AppKey("resume_flow", ResumeFlow)  # the résumé steps, chat and web form
SUBMISSIONS = web.AppKey("submissions", SubmissionRepository)
RECRUITERS = web.AppKey("recruiters", RecruiterRepository)
PLANS = web.AppKey("plans", BroadcastPlans)
PLANNER = web.AppKey("planner", BroadcastPlanner)
SEARCH_ANALYTICS = web.AppKey("search_analytics", SearchAnalytics)
STATS = web.AppKey("stats", Stats)
LEDGER = web.AppKey("ledger", FeedLedger)  # the feeds' record; approvals and expiry close in it
INBOX = web.AppKey("inbox", UpdateInbox)
DEAD_LETTERS = web.AppKey("dead_letters", DeadLetters)
CHECKER = web.AppKey("checker", PostChecker)  # the post checker every path runs
AUDIT = web.AppKey("audit", AuditLog)  # e.g. held vacancies released, and why
RELEASES = web.AppKey("releases", Releases)  # an admin lets a held vacancy through
AVAILABILITIES = web.AppKey("availabilities", AvailabilityRepository)  # 求职意向
MATCHMAKING = web.AppKey("matchmaking", Matchmaking)  # candidates, invitations, lists
# resources.search: the live index and the search use case.
LIVE_INDEX = web.AppKey("live_index", LiveIndex)
SEARCH = web.AppKey("search", SearchService)
# resources.telegram: the Bot, the Dispatcher and what needs them.
BOT = web.AppKey("bot", Bot)
PACER = web.AppKey("pacer", Pacer)  # the send budget of this bot token, shared by processes
DISPATCHER = web.AppKey("dispatcher", Dispatcher)
APPROVALS = web.AppKey("approvals", Approvals)
PIPELINE = web.AppKey("pipeline", UpdatePipeline)
NOTIFIER = web.AppKey("notifier", Notifier)
NOTIFIERS = web.AppKey("notifiers", ChannelNotifiers)  # the same, where channels add theirs
LINKS = web.AppKey("links", Links)  # every apply link is made by this one object
# resources.alerts: the alert matching and sending jobs.
ALERTING = web.AppKey("alerting", Alerting)
# --- groupcare (resources.storage): group settings, moderation, FAQ, escalation, welcomes ---
GROUPCARE = web.AppKey("groupcare", GroupCareSettings)
MODERATION = web.AppKey("moderation", Moderation)
FAQ = web.AppKey("faq", FaqStore)
ESCALATIONS = web.AppKey("escalations", Escalations)
WELCOMES = web.AppKey("welcomes", Welcomes)
# --- placements and brokers (resources.storage and resources.telegram) ---
PLACEMENTS = web.AppKey("placements", PlacementRepository)
BROKERS = web.AppKey("brokers", BrokerRepository)
HIRING = web.AppKey("hiring", Hiring)  # 已录用 -> a placement
CHECKINS = web.AppKey("checkins", CheckinJob)  # the retention check-in job
BATCHES = web.AppKey("batches", BatchRepository)  # departure batches (点对点输送)
BATCH_REMINDERS = web.AppKey("batch_reminders", BatchReminders)
REPORTS = web.AppKey("reports", Reports)  # the ledger, reward roster and figures
PLACEMENT_NOTIFIER = web.AppKey("placement_notifier", PlacementNotifier)
