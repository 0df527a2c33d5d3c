"""Telegram's flood control answers 429 with a wait: waiting is not failing."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiogram.exceptions import TelegramRetryAfter

T = TypeVar("T")

ATTEMPTS = 3


async def patiently(send: Callable[[], Awaitable[T]], attempts: int = ATTEMPTS) -> T:
    """Call ``send``; on a 429 wait ``retry_after`` and call it again (a few times)."""
    for attempt in range(attempts):
        try:
            return await send()
        except TelegramRetryAfter as exc:
            if attempt + 1 == attempts:
                raise
            await asyncio.sleep(exc.retry_after)
    raise AssertionError("unreachable")
