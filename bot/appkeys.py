"""Typed keys for what the aiohttp application holds."""

from __future__ import annotations

import asyncio

from aiogram import Bot, Dispatcher
from aiohttp import web

from bot.alerting import Alerting
from bot.readiness import Readiness
from bot.services import Services
from bot.telegram.intake import UpdatePipeline
from jobfeed.approvals import Approvals
from jobfeed.notify import Notifier

SERVICES = web.AppKey("services", Services)
BOT = web.AppKey("bot", Bot)
DISPATCHER = web.AppKey("dispatcher", Dispatcher)
STOP = web.AppKey("stop", asyncio.Event)
APPROVALS = web.AppKey("approvals", Approvals)
PIPELINE = web.AppKey("pipeline", UpdatePipeline)
READINESS = web.AppKey("readiness", Readiness)
NOTIFIER = web.AppKey("notifier", Notifier)
ALERTING = web.AppKey("alerting", Alerting)
