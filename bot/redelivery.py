"""Sending the application cards that Telegram kept back, at startup and then every
minute: a card whose sender died (its claim ran out) or that no later filing picked up
still reaches the recruiter."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aiogram import Bot
from redis.exceptions import RedisError

from bot.services import Services
from handlers.applications import deliver_pending

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 60.0


class CardRedelivery:
    def __init__(self, services: Services, bot: Bot, interval: float = INTERVAL_SECONDS) -> None:
        self._services = services
        self._bot = bot
        self._interval = interval

    async def run(self, stop: asyncio.Event) -> None:
        services = self._services
        while not stop.is_set():
            try:
                await deliver_pending(
                    self._bot, services.texts, services.applications, services.settings.admin_ids
                )
            except (RedisError, OSError) as exc:
                # The next round (or the next delivered application) tries again.
                log.warning("Undelivered application cards not sent now: %s", exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self._interval)
