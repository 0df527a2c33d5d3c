"""Background jobs that do not die quietly: a failure is logged at once with its
traceback, and the job is started again after a pause that doubles up to a bound."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from bot.readiness import Readiness
from jobfeed.periodic import sleep_unless

log = logging.getLogger(__name__)

Job = Callable[[asyncio.Event], Coroutine[Any, Any, None]]

FIRST_DELAY = 1.0  # seconds before the first restart
MAX_DELAY = 60.0


@dataclass(frozen=True, slots=True)
class Supervised:
    """``once``: the job finishes its work and returns; otherwise it runs until ``stop``
    and returning earlier is a failure too."""

    name: str
    job: Job
    once: bool = False


async def supervise(
    supervised: Supervised,
    stop: asyncio.Event,
    readiness: Readiness | None = None,
    *,
    first_delay: float = FIRST_DELAY,
    max_delay: float = MAX_DELAY,
) -> None:
    name = supervised.name
    loop = asyncio.get_running_loop()
    delay = first_delay
    while not stop.is_set():
        started = loop.time()
        failure: Exception | None = None
        try:
            await supervised.job(stop)
        except Exception as exc:
            failure = exc
        if failure is None and (supervised.once or stop.is_set()):
            return
        if loop.time() - started > max_delay:
            delay = first_delay  # it had been running fine: a fresh failure, a short pause
        if failure is not None:
            log.error(
                "Background job %s failed; restarting in %.1f s", name, delay, exc_info=failure
            )
        else:
            log.error("Background job %s stopped by itself; restarting in %.1f s", name, delay)
        if readiness is not None:
            readiness.down(name, "failed; restarting")
        await sleep_unless(stop, delay)
        delay = min(delay * 2, max_delay)
        if readiness is not None:
            readiness.up(name)
