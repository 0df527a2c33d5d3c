"""At startup, send the application cards that Telegram kept back before a restart."""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot
from redis.exceptions import RedisError

from bot.services import Services
from handlers.applications import deliver_pending

log = logging.getLogger(__name__)


class CardRedelivery:
    def __init__(self, services: Services, bot: Bot) -> None:
        self._services = services
        self._bot = bot

    async def run(self, stop: asyncio.Event) -> None:
        services = self._services
        try:
            await deliver_pending(
                self._bot, services.texts, services.applications, services.settings.admin_ids
            )
        except RedisError as exc:
            # The next delivered application tries again: starting up must not fail.
            log.warning("Undelivered application cards not sent at startup: %s", exc)
