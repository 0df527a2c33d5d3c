"""Setting the webhook at start, until Telegram takes it: the web process keeps serving
(and ``/readyz`` says updates cannot come in yet) while Telegram is unreachable."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aiogram import Bot
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError

from bot.readiness import Readiness
from bot.telegram.intake import FIRST_BACKOFF, MAX_BACKOFF, RECEIVING

log = logging.getLogger(__name__)


class WebhookSetter:
    def __init__(
        self, bot: Bot, url: str, secret: str, allowed_updates: list[str], readiness: Readiness
    ) -> None:
        self._bot = bot
        self._url = url
        self._secret = secret
        self._allowed = allowed_updates
        self._readiness = readiness

    async def run(self, stop: asyncio.Event) -> None:
        backoff = FIRST_BACKOFF
        while not stop.is_set():
            try:
                await self._bot.set_webhook(
                    url=self._url, secret_token=self._secret, allowed_updates=self._allowed
                )
            except TelegramRetryAfter as exc:
                await _sleep_unless(stop, exc.retry_after)
                continue
            except (TelegramNetworkError, TelegramServerError) as exc:
                name = type(exc).__name__
                self._readiness.down(RECEIVING, f"setWebhook failed ({name})")
                log.warning("setWebhook failed (%s); retrying in %.0f s", name, backoff)
                await _sleep_unless(stop, backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            self._readiness.up(RECEIVING)
            log.info("Webhook set at %s", self._url)
            return


async def _sleep_unless(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
