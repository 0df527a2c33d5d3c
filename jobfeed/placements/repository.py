"""Placements in Redis: one hash each (the record and its mutable fields), the personal
part beside it, an index by start date and the check-in schedule.

Check-ins are sorted-set members ``<placement>:<months>`` scored by when they are due
(local 10:00 of the day ``months`` after the start); whoever removes a member owns it, so
two processes never ask the same question twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.lua import load_script
from jobfeed.models import utcnow
from jobfeed.placements.models import (
    OFFICE_FIELDS,
    Checkin,
    CheckinAnswer,
    Placement,
    PlacementRecord,
    Worker,
    add_months,
)

PACKAGE = "jobfeed.placements"
ASK_AT = time(10, 0)  # check-ins go out in the morning, local time


def member(number: int, months: int) -> str:
    return f"{number}:{months}"


def parse_member(value: str) -> tuple[int, int]:
    number, _, months = value.partition(":")
    return int(number), int(months)


class PlacementRepository:
    def __init__(self, redis: Redis, keys: Keys, months: Sequence[int], zone: ZoneInfo) -> None:
        self._redis = redis
        self._keys = keys
        self.months = tuple(months)
        self.zone = zone
        # The time of hires, answers and the check-in job (tests move it months ahead).
        self.clock: Callable[[], datetime] = utcnow
        self._create = load_script(redis, PACKAGE, "create")
        self._forget = load_script(redis, PACKAGE, "forget")
        self._answer = load_script(redis, PACKAGE, "answer")

    def today(self) -> date:
        return self.clock().astimezone(self.zone).date()

    def due_at(self, start: date, months: int) -> datetime:
        return datetime.combine(add_months(start, months), ASK_AT, self.zone)

    def _day_score(self, day: date) -> float:
        return datetime.combine(day, time(0), self.zone).timestamp()

    # -- writing ------------------------------------------------------------------------

    async def create(
        self,
        record: PlacementRecord,
        *,
        start: date,
        pay: str,
        broker: str | None,
        worker: Worker,
    ) -> bool:
        """File the placement and schedule its check-ins; False when it existed already."""
        keys, number = self._keys, record.number
        schedule: list[Any] = []
        for months in self.months:
            schedule += [member(number, months), self.due_at(start, months).timestamp()]
        created = await self._create(
            keys=[
                keys.placement(number),
                keys.placement_personal(number),
                keys.placements_all,
                keys.placements_by_worker(worker.person),
                keys.checkins_due,
            ],
            args=[
                record.model_dump_json(),
                start.isoformat(),
                self._day_score(start),
                pay,
                broker or "",
                worker.model_dump_json(),
                str(worker.person),
                str(number),
                *schedule,
            ],
        )
        return int(created) == 1

    async def set_start(self, number: int, start: date, pay: str | None = None) -> bool:
        """Change the start date (and pay); check-ins not asked yet move with it."""
        placement = await self.get(number)
        if placement is None:
            return False
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._keys.placement(number), "start", start.isoformat())
            if pay is not None:
                pipe.hset(self._keys.placement(number), "pay", pay)
            pipe.zadd(self._keys.placements_all, {str(number): self._day_score(start)})
            for checkin in placement.checkins:
                if checkin.asked_at is None and not placement.forgotten:
                    due = self.due_at(start, checkin.months).timestamp()
                    pipe.zadd(self._keys.checkins_due, {member(number, checkin.months): due})
            await pipe.execute()
        return True

    async def record(self, number: int, values: dict[str, str]) -> None:
        """The office's own columns (``OFFICE_FIELDS``: training, insurance, subsidy)."""
        wanted: dict[Any, Any] = {k: v for k, v in values.items() if k in OFFICE_FIELDS}
        if wanted:
            await self._redis.hset(self._keys.placement(number), mapping=wanted)

    async def answer(self, number: int, months: int, answer: CheckinAnswer) -> int:
        """1 recorded, 0 answered before (the first answer counts), -1 no such worker."""
        result = await self._answer(
            keys=[self._keys.placement(number), self._keys.checkin_reminders],
            args=[str(months), answer.model_dump_json(), member(number, months)],
        )
        return int(result)

    async def forget(self, person: int) -> list[int]:
        """Delete the personal part of the worker's placements; their records stay."""
        keys = self._keys
        numbers = await self._forget(
            keys=[keys.placements_by_worker(person)],
            args=[
                keys.placement("@"),
                keys.placement_personal("@"),
                keys.placement_id_number("@"),
            ],
        )
        return [int(n) for n in numbers]

    # -- the check-in schedule ------------------------------------------------------------

    async def due(self, now: datetime, limit: int = 50) -> list[str]:
        rows: Any = await self._redis.zrangebyscore(
            self._keys.checkins_due, "-inf", now.timestamp(), start=0, num=limit
        )
        return list(rows)

    async def claim(self, item: str) -> bool:
        return int(await self._redis.zrem(self._keys.checkins_due, item)) == 1

    async def failed(self, item: str) -> int:
        """One more failed try of a check-in; returns the tries so far."""
        number, months = parse_member(item)
        return int(await self._redis.hincrby(self._keys.placement(number), f"tries:{months}", 1))

    async def retry(self, item: str, at: datetime) -> None:
        await self._redis.zadd(self._keys.checkins_due, {item: at.timestamp()})

    async def asked(self, item: str, now: datetime, remind_at: datetime) -> None:
        number, months = parse_member(item)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._keys.placement(number), f"asked:{months}", now.isoformat())
            pipe.zadd(self._keys.checkin_reminders, {item: remind_at.timestamp()})
            await pipe.execute()

    async def reminders_due(self, now: datetime, limit: int = 50) -> list[str]:
        rows: Any = await self._redis.zrangebyscore(
            self._keys.checkin_reminders, "-inf", now.timestamp(), start=0, num=limit
        )
        return list(rows)

    async def claim_reminder(self, item: str) -> bool:
        return int(await self._redis.zrem(self._keys.checkin_reminders, item)) == 1

    async def reminded(self, item: str, now: datetime) -> None:
        number, months = parse_member(item)
        await self._redis.hset(self._keys.placement(number), f"reminded:{months}", now.isoformat())

    # -- reading ------------------------------------------------------------------------

    async def get(self, number: int) -> Placement | None:
        return (await self.get_many([number]))[0]

    async def get_many(self, numbers: Iterable[int]) -> list[Placement | None]:
        wanted = list(numbers)
        if not wanted:
            return []
        async with self._redis.pipeline(transaction=False) as pipe:
            for number in wanted:
                pipe.hgetall(self._keys.placement(number))
                pipe.get(self._keys.placement_personal(number))
            rows = await pipe.execute()
        return [self._load(rows[i], rows[i + 1]) for i in range(0, len(rows), 2)]

    async def started_between(self, first: date | None, last: date | None) -> list[Placement]:
        """Placements whose start is in [first, last] (local days), oldest first."""
        low = self._day_score(first) if first else "-inf"
        high = f"({self._day_score(last + timedelta(days=1))}" if last else "+inf"
        members: Any = await self._redis.zrangebyscore(self._keys.placements_all, low, high)
        found = await self.get_many(int(m) for m in members)
        return [p for p in found if p is not None]

    async def for_worker(self, person: int) -> list[Placement]:
        members: Any = await self._redis.smembers(self._keys.placements_by_worker(person))
        found = await self.get_many(sorted(int(m) for m in members))
        return [p for p in found if p is not None]

    async def count(self) -> int:
        return int(await self._redis.zcard(self._keys.placements_all))

    def _load(self, fields: dict[str, str], personal: str | None) -> Placement | None:
        if not fields or "record" not in fields:
            return None
        start = date.fromisoformat(fields["start"])
        checkins = []
        for months in self.months:
            asked, answer = fields.get(f"asked:{months}"), fields.get(f"answer:{months}")
            reminded = fields.get(f"reminded:{months}")
            checkins.append(
                Checkin(
                    months=months,
                    due=add_months(start, months),
                    asked_at=datetime.fromisoformat(asked) if asked else None,
                    answer=CheckinAnswer.model_validate_json(answer) if answer else None,
                    reminded_at=datetime.fromisoformat(reminded) if reminded else None,
                )
            )
        worker = Worker.model_validate_json(personal) if personal and "worker" in fields else None
        return Placement(
            record=PlacementRecord.model_validate_json(fields["record"]),
            start=start,
            pay=fields.get("pay", ""),
            broker=fields.get("broker") or None,
            batch=int(fields["batch"]) if fields.get("batch") else None,
            **{name: fields.get(name, "") for name in OFFICE_FIELDS},
            checkins=checkins,
            worker=worker,
        )
