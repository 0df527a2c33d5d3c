"""The expiry sweeper: active vacancies past their deadline become ``expired``.

Saving the new status is what takes them out of search (every index follows the
repository's version and change channel) and off the web listings. Several processes
may sweep at once: the status change is idempotent, and whatever acts on an expiry
(``on_expired``: editing posts in the groups) claims each vacancy once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from jobfeed.models import Vacancy, VacancyStatus, utcnow
from jobfeed.periodic import sleep_unless
from jobfeed.vacancies import VacancyRepository

log = logging.getLogger(__name__)

OnExpired = Callable[[list[Vacancy]], Awaitable[None]]


class ExpirySweeper:
    def __init__(
        self,
        vacancies: VacancyRepository,
        *,
        on_expired: OnExpired | None = None,
        clock: Callable[[], datetime] = utcnow,
        interval: float = 60.0,
        batch: int = 500,
    ) -> None:
        self._vacancies = vacancies
        self._on_expired = on_expired
        self._clock = clock
        self._interval = interval
        self._batch = batch

    async def sweep(self) -> list[Vacancy]:
        """Expire what is due now; returns the vacancies that this call expired."""
        now = self._clock()
        expired: list[Vacancy] = []
        while ids := await self._vacancies.due_to_expire(now, self._batch):
            found = await self._vacancies.get_many(ids)
            due = [v for v in found if v.status is VacancyStatus.active and not v.is_open(now)]
            ended = [
                v.model_copy(update={"status": VacancyStatus.expired, "updated_at": now})
                for v in due
            ]
            # Listed by mistake (written around the repository): saving re-lists them right.
            due_ids = {v.id for v in due}
            stale = [v for v in found if v.id not in due_ids]
            await self._vacancies.save_many([*ended, *stale])
            expired += ended
            if len(ids) < self._batch or not (ended or stale):
                break
        if expired:
            log.info("Expired %d vacancies", len(expired))
            if self._on_expired is not None:
                await self._on_expired(expired)
        return expired

    async def run(self, stop: asyncio.Event) -> None:
        """Sweep every ``interval`` seconds until ``stop`` is set (a background job)."""
        try:
            rebuilt = await self._vacancies.ensure_listings()
            if rebuilt:
                log.info("Rebuilt the vacancy listings from %d vacancies", rebuilt)
        except Exception:
            log.exception("Could not check the vacancy listings")
        while not stop.is_set():
            try:
                await self.sweep()
            except Exception:  # Redis away for a moment: the next round catches up
                log.exception("Expiry sweep failed")
            await sleep_unless(stop, self._interval)
