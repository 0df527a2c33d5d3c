"""Counting the Bot API's flood-control answers (429) of every request a bot makes."""

from __future__ import annotations

from collections.abc import Callable

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

from jobfeed.observe import BROADCAST_ID, UPDATE_ID


class RateLimits(BaseRequestMiddleware):
    """Reports every 429 to ``count(source, retry_after)``, retried or not (the reply
    guard and the broadcast engine retry them). Registered after the reply guard, so it
    sees each attempt. ``source`` says what was sending: a ``broadcast``, the handling of
    an ``update``, or ``other`` (card redelivery, notices sent from the API)."""

    def __init__(self, count: Callable[[str, float], None]) -> None:
        self._count = count

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        try:
            return await make_request(bot, method)
        except TelegramRetryAfter as exc:
            source = (
                "broadcast" if BROADCAST_ID.get() else "update" if UPDATE_ID.get() else "other"
            )
            self._count(source, float(exc.retry_after))
            raise
