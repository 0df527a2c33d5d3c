"""Typed keys for what the aiohttp application holds."""

from __future__ import annotations

import asyncio

from aiogram import Bot, Dispatcher
from aiohttp import web

from bot.readiness import Readiness
from bot.services import Services
from bot.updates import UpdatePipeline
from jobfeed.approvals import Approvals

SERVICES = web.AppKey("services", Services)
BOT = web.AppKey("bot", Bot)
DISPATCHER = web.AppKey("dispatcher", Dispatcher)
STOP = web.AppKey("stop", asyncio.Event)
APPROVALS = web.AppKey("approvals", Approvals)
PIPELINE = web.AppKey("pipeline", UpdatePipeline)
READINESS = web.AppKey("readiness", Readiness)
