"""Retention check-ins: at 1, 3 and 6 months (setting ``CHECKIN_MONTHS``) the worker is
asked privately whether they are still at the job; an unanswered question reminds the
recruiter after ``CHECKIN_REMIND_DAYS``. The answers are the evidence of broker rewards
and of the county's subsidies.

The job reads the time from the repository's ``clock`` (tests move it months ahead). A
question that could not be sent for now is tried again with a doubling pause, at most
``MAX_TRIES`` times; one that can never reach the worker reminds the recruiter at once.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Protocol

from jobfeed.notify import Delivery, Person
from jobfeed.periodic import every
from jobfeed.placements.models import Placement
from jobfeed.placements.repository import PlacementRepository, parse_member

log = logging.getLogger(__name__)

MAX_TRIES = 6
FIRST_PAUSE = timedelta(minutes=5)
INTERVAL = 60.0  # seconds between looks at the schedule


class PlacementNotifier(Protocol):
    """What placements tell people, through whichever channel reaches them."""

    async def placed(self, person: Person, placement: Placement) -> Delivery:
        """The worker hears of the placement (employer, place, start)."""
        ...

    async def ask(self, person: Person, placement: Placement, months: int) -> Delivery:
        """The worker is asked 还在 / 已离开, with the buttons to answer."""
        ...

    async def remind(self, placement: Placement, months: int) -> Delivery:
        """The recruiter (or, without one, the admins) hears the worker has not answered."""
        ...


class CheckinJob:
    def __init__(
        self,
        placements: PlacementRepository,
        notifier: PlacementNotifier,
        *,
        remind_after: timedelta,
        interval: float = INTERVAL,
    ) -> None:
        self._placements = placements
        self._notifier = notifier
        self.remind_after = remind_after
        self.interval = interval

    async def run(self, stop: asyncio.Event) -> None:
        await every(stop, self.interval, self.step)

    async def step(self) -> tuple[int, int]:
        """Ask what is due and remind of what went unanswered: ``(asked, reminded)``."""
        now = self._placements.clock()
        asked = reminded = 0
        for item in await self._placements.due(now):
            if await self._placements.claim(item) and await self._ask(item, now):
                asked += 1
        for item in await self._placements.reminders_due(now):
            if await self._placements.claim_reminder(item) and await self._remind(item, now):
                reminded += 1
        return asked, reminded

    async def _ask(self, item: str, now: datetime) -> bool:
        number, months = parse_member(item)
        placement = await self._placements.get(number)
        checkin = placement.checkin(months) if placement else None
        if placement is None or placement.worker is None or checkin is None:
            return False  # forgotten meanwhile: nobody to ask
        if checkin.answer is not None:
            return False
        delivery = await self._notifier.ask(placement.worker.person, placement, months)
        if delivery is Delivery.sent:
            await self._placements.asked(item, now, now + self.remind_after)
            return True
        if delivery is Delivery.failed:
            tries = await self._placements.failed(item)
            if tries < MAX_TRIES:
                await self._placements.retry(item, now + FIRST_PAUSE * 2 ** (tries - 1))
                return False
        log.info("Check-in %s could not reach the worker (%s)", item, delivery.value)
        await self._placements.asked(item, now, now)  # the recruiter is reminded at once
        return False

    async def _remind(self, item: str, now: datetime) -> bool:
        number, months = parse_member(item)
        placement = await self._placements.get(number)
        checkin = placement.checkin(months) if placement else None
        if placement is None or checkin is None or checkin.answer is not None:
            return False
        await self._notifier.remind(placement, months)
        await self._placements.reminded(item, now)
        return True
