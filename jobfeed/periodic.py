"""The one way a background job waits: ``sleep_unless`` a stop, and ``every`` for a job
that does one step, then waits, until stopped (its supervisor restarts it if a step
raises: ``bot.supervision``)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable


async def sleep_unless(stop: asyncio.Event, seconds: float) -> None:
    """Sleep ``seconds``, or less when ``stop`` is set meanwhile."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


async def every(
    stop: asyncio.Event, seconds: float, step: Callable[[], Awaitable[object]]
) -> None:
    """``step()``, then ``seconds`` of waiting, until ``stop`` is set."""
    while not stop.is_set():
        await step()
        await sleep_unless(stop, seconds)
