"""The webhook: its endpoint, and setting it at start until Telegram takes it (the web
process keeps serving, and ``/readyz`` says updates cannot come in yet, while Telegram is
unreachable)."""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiohttp import web

from bot.readiness import Readiness
from bot.telegram.intake import SECRET_HEADER, UpdatePipeline
from bot.telegram.reaching import RECEIVING, reach

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"  # where the app takes updates (after WEBHOOK_BASE_URL)


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
        done = await reach(
            lambda: self._bot.set_webhook(
                url=self._url, secret_token=self._secret, allowed_updates=self._allowed
            ),
            "setWebhook",
            stop,
            self._readiness,
        )
        if done is not None:
            self._readiness.up(RECEIVING)
            log.info("Webhook set at %s", self._url)


def webhook_handler(
    pipeline_of: Callable[[web.Request], UpdatePipeline], secret: str
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The webhook endpoint: checks Telegram's secret header, then hands the update to the
    pipeline of the running app (``pipeline_of``), which logs it before the 200."""
    expected = secret.encode()

    async def handle(request: web.Request) -> web.Response:
        # Header bytes that are not UTF-8 arrive as surrogates: give them back as they came.
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "surrogateescape")
        if not hmac.compare_digest(given, expected):
            return web.json_response({"error": "unauthorized"}, status=401)
        try:
            raw = (await request.read()).decode("utf-8")
        except UnicodeDecodeError:
            return web.json_response({"error": "the body is not UTF-8"}, status=400)
        pipeline = pipeline_of(request)
        try:
            update = pipeline.parse(raw)
        except ValueError as exc:
            return web.json_response({"error": str(exc)}, status=400)
        await pipeline.receive(update, raw)
        return web.json_response({})

    return handle
