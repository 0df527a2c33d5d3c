"""Reaching Telegram from a background job: one way for every call that must get through
in the end (deleting or setting the webhook, each long poll).

A 429 is waited out; a network error or a 5xx marks updates as unable to come in
(``/readyz``), is logged, and is retried with a backoff doubling up to ``MAX_BACKOFF``;
anything else is the caller's. Setting ``stop`` ends the wait at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError

from bot.readiness import Readiness
from jobfeed.periodic import sleep_unless

log = logging.getLogger(__name__)

T = TypeVar("T")

RECEIVING = "telegram"  # the readiness part: updates can come in from Telegram
FIRST_BACKOFF, MAX_BACKOFF = 1.0, 30.0  # seconds between attempts to reach Telegram


async def reach(
    call: Callable[[], Awaitable[T | None]],
    method: str,
    stop: asyncio.Event,
    readiness: Readiness,
) -> T | None:
    """``call()``'s answer once Telegram gives one; None when ``stop`` is set first (or
    ``call`` itself gives up on a stop)."""
    backoff = FIRST_BACKOFF
    while not stop.is_set():
        try:
            return await call()
        except TelegramRetryAfter as exc:
            await sleep_unless(stop, exc.retry_after)
        except (TelegramNetworkError, TelegramServerError) as exc:
            name = type(exc).__name__
            readiness.down(RECEIVING, f"{method} failed ({name})")
            log.warning("%s failed (%s); retrying in %.0f s", method, name, backoff)
            await sleep_unless(stop, backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)
    return None
