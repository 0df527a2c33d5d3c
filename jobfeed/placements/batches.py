"""Departure batches (点对点输送): hired workers grouped for one chartered trip, each told
the date, meeting point, destination and vehicle with a button to confirm; the roster
shows who confirmed; a reminder goes out the day before.

Admins may put any placement in a batch; a broker only the placements they brought.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Annotated, Any, Protocol

from pydantic import BaseModel, StringConstraints
from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.notify import Delivery, Person
from jobfeed.periodic import every
from jobfeed.placements.models import Placement
from jobfeed.placements.repository import PlacementRepository

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
REMIND_BEFORE = timedelta(days=1)
INTERVAL = 60.0


class Batch(BaseModel):
    number: int
    departs_at: datetime
    meeting_point: Text
    destination: Text
    vehicle: Text
    organiser: int  # the admin or broker who made it
    broker: str | None = None  # the organiser's broker code, when a broker made it
    members: list[int] = []  # placement numbers
    confirmed: dict[int, datetime] = {}


class BatchNotifier(Protocol):
    async def batch_details(self, person: Person, batch: Batch, placement: Placement) -> Delivery:
        """The worker hears the trip's details, with the button to confirm."""
        ...

    async def batch_reminder(self, person: Person, batch: Batch, placement: Placement) -> Delivery:
        """The day before: the trip again."""
        ...


class BatchRepository:
    def __init__(self, redis: Redis, keys: Keys, placements: PlacementRepository) -> None:
        self._redis = redis
        self._keys = keys
        self.placements = placements

    async def create(
        self,
        departs_at: datetime,
        *,
        meeting_point: str,
        destination: str,
        vehicle: str,
        organiser: int,
        broker: str | None,
    ) -> Batch:
        number = int(await self._redis.incr(self._keys.batches_seq))
        batch = Batch(
            number=number,
            departs_at=departs_at,
            meeting_point=meeting_point,
            destination=destination,
            vehicle=vehicle,
            organiser=organiser,
            broker=broker,
        )
        record = batch.model_dump_json(exclude={"members", "confirmed"})
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._keys.batch(number), mapping={"record": record, "members": "[]"})
            remind = (departs_at - REMIND_BEFORE).timestamp()
            pipe.zadd(self._keys.batch_reminders, {str(number): remind})
            await pipe.execute()
        return batch

    async def get(self, number: int) -> Batch | None:
        fields: Any = await self._redis.hgetall(self._keys.batch(number))
        if not fields or "record" not in fields:
            return None
        confirmed = {
            int(name.removeprefix("confirmed:")): datetime.fromisoformat(at)
            for name, at in fields.items()
            if name.startswith("confirmed:")
        }
        record = json.loads(fields["record"])
        return Batch.model_validate(
            {**record, "members": json.loads(fields["members"]), "confirmed": confirmed}
        )

    async def add(self, batch: Batch, placements: Sequence[Placement]) -> list[Placement]:
        """Put the placements in the batch (each in one batch at a time); the newly added."""
        added = [p for p in placements if p.number not in batch.members]
        if not added:
            return []
        members = batch.members + [p.number for p in added]
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._keys.batch(batch.number), "members", json.dumps(members))
            for p in added:
                pipe.hset(self._keys.placement(p.number), "batch", str(batch.number))
            await pipe.execute()
        batch.members = members
        return added

    async def confirm(self, number: int, placement: int, at: datetime) -> bool:
        """The worker confirmed; False when they had already (the first time counts)."""
        return bool(
            await self._redis.hsetnx(
                self._keys.batch(number), f"confirmed:{placement}", at.isoformat()
            )
        )

    async def due_reminders(self, now: datetime) -> list[int]:
        rows: Any = await self._redis.zrangebyscore(
            self._keys.batch_reminders, "-inf", now.timestamp(), start=0, num=20
        )
        return [int(r) for r in rows]

    async def claim_reminder(self, number: int) -> bool:
        return int(await self._redis.zrem(self._keys.batch_reminders, str(number))) == 1


class BatchReminders:
    """The supervised job that reminds each batch's workers the day before."""

    def __init__(
        self, batches: BatchRepository, notifier: BatchNotifier, *, interval: float = INTERVAL
    ) -> None:
        self._batches = batches
        self._notifier = notifier
        self.interval = interval

    async def run(self, stop: asyncio.Event) -> None:
        await every(stop, self.interval, self.step)

    async def step(self) -> int:
        """Remind the batches due now; the number of workers reminded."""
        now = self._batches.placements.clock()
        told = 0
        for number in await self._batches.due_reminders(now):
            if not await self._batches.claim_reminder(number):
                continue
            batch = await self._batches.get(number)
            if batch is None or batch.departs_at < now:
                continue
            for placement in await self._batches.placements.get_many(batch.members):
                if placement is None or placement.worker is None:
                    continue
                if (
                    await self._notifier.batch_reminder(placement.worker.person, batch, placement)
                    is Delivery.sent
                ):
                    told += 1
        return told
