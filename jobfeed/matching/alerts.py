"""Alerts as two background jobs (run supervised by the web process, ``bot.alerting``):

- ``AlertMatcher`` reads the vacancies saved as listed (the ``vacancies_opened`` stream,
  as a consumer group: every save is looked at once, by one process, and an entry a
  process took but never acknowledged is taken over after ``CLAIM_IDLE``), matches each
  open one against the availabilities (``MatchIndex``) and queues its alerts;
- ``AlertSender`` sends what is due, outside quiet hours, within the day's cap per person
  (the rest goes into one digest the next morning), one message per person paced with the
  rest of the bot's private messages (``Pacer``); a transient failure is retried with
  backoff, then dead-lettered; a person who blocked the bot has their alerts stopped.

The clock (``clock``) is an input, so tests can move it through quiet hours and days.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from jobfeed.broadcast.pacing import Pacer
from jobfeed.broadcast.quiet import QuietHours
from jobfeed.keys import Keys
from jobfeed.matching.figures import MatchingFigures
from jobfeed.matching.following import LiveMatches
from jobfeed.matching.queue import AlertQueue, Item
from jobfeed.matching.repository import AvailabilityRepository
from jobfeed.models import utcnow
from jobfeed.notify import AlertDigest, Delivery, Notifier, VacancyAlert
from jobfeed.vacancies import VacancyRepository

log = logging.getLogger(__name__)

GROUP = "alerts"
CLAIM_IDLE_MS = 60_000  # an opened vacancy taken but not acknowledged for this long is taken over
READ_BLOCK_MS = 1000
EXPIRE_EVERY = 300.0  # seconds between retention sweeps of availabilities
IDLE_WAIT = 1.0  # seconds the sender waits when nothing is due
DIGEST_AT = time(8, 0)  # local time the digest of the day before is due
DIGEST_MAX = 10  # vacancies shown in one digest


@dataclass
class AlertPolicy:
    per_day: int
    zone: ZoneInfo
    quiet: QuietHours | None = None
    halve_after: int = 0  # unopened alerts in a row that halve the cap (0: never)

    def cap(self, unopened: int) -> int:
        """The day's cap of a person with ``unopened`` alerts in a row: halved for every
        ``halve_after`` of them, never below one (an open resets the run)."""
        if not self.halve_after or not self.per_day:
            return self.per_day
        return max(1, self.per_day >> min(unopened // self.halve_after, 16))

    def day(self, moment: datetime) -> str:
        return moment.astimezone(self.zone).strftime("%Y%m%d")

    def next_digest(self, moment: datetime) -> datetime:
        local = moment.astimezone(self.zone)
        return datetime.combine(local.date() + timedelta(days=1), DIGEST_AT, tzinfo=self.zone)


Clock = Callable[[], datetime]


class AlertMatcher:
    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        *,
        live: LiveMatches,
        vacancies: VacancyRepository,
        availabilities: AvailabilityRepository,
        queue: AlertQueue,
        policy: AlertPolicy,
        consumer: str,
        clock: Clock = utcnow,
        on_queued: Callable[[], None] | None = None,
    ) -> None:
        """``on_queued``: called when alerts were queued (to wake the sender)."""
        self._redis = redis
        self._on_queued = on_queued
        self._stream = keys.vacancies_opened
        self._live = live
        self._vacancies = vacancies
        self._availabilities = availabilities
        self._queue = queue
        self._policy = policy
        self._consumer = consumer
        self.clock = clock
        self.matched = 0  # vacancies looked at, for tests and logs

    async def run(self, stop: asyncio.Event) -> None:
        await self._ensure_group()
        await self._live.load()
        swept = 0.0
        loop = asyncio.get_running_loop()
        while not stop.is_set():
            if loop.time() - swept >= EXPIRE_EVERY:
                await self._availabilities.expire(self.clock())
                swept = loop.time()
            await self.step(block_ms=READ_BLOCK_MS)

    async def step(self, block_ms: int | None = None) -> int:
        """Match what was opened since the last step; how many vacancies were looked at."""
        await self._live.sync()
        entries = await self._taken_over()
        if not entries:
            rows: Any = await self._redis.xreadgroup(
                GROUP, self._consumer, {self._stream: ">"}, count=100, block=block_ms
            )
            entries = rows[0][1] if rows else []
        if not entries:
            return 0
        await self._live.sync()  # an availability made while we waited
        ids = list(dict.fromkeys(fields["id"] for _, fields in entries))
        for vacancy in await self._vacancies.get_many(ids):
            now = self.clock()
            if not vacancy.is_open(now):
                continue
            today = now.astimezone(self._policy.zone).date()
            matches = self._live.index.match(vacancy, today)
            if matches:
                queued = await self._queue.enqueue(vacancy.id, [m.person for m in matches], now)
                log.info("Vacancy %s fits %d; %d alerts queued", vacancy.id, len(matches), queued)
                if queued and self._on_queued is not None:
                    self._on_queued()
            self.matched += 1
            await asyncio.sleep(0)
        await self._redis.xack(self._stream, GROUP, *[entry_id for entry_id, _ in entries])
        return len(ids)

    async def _taken_over(self) -> list[Any]:
        """Entries another consumer took and never acknowledged (it died)."""
        reply: Any = await self._redis.xautoclaim(
            self._stream, GROUP, self._consumer, CLAIM_IDLE_MS, start_id="0-0", count=100
        )
        return [entry for entry in reply[1] if entry and entry[1]]

    async def _ensure_group(self) -> None:
        with contextlib.suppress(ResponseError):  # BUSYGROUP: it exists
            # From now on: vacancies opened before alerts existed alert nobody.
            await self._redis.xgroup_create(self._stream, GROUP, id="$", mkstream=True)


class AlertSender:
    def __init__(
        self,
        queue: AlertQueue,
        *,
        vacancies: VacancyRepository,
        availabilities: AvailabilityRepository,
        notifier: Notifier,
        pacer: Pacer,
        policy: AlertPolicy,
        clock: Clock = utcnow,
        figures: MatchingFigures | None = None,
    ) -> None:
        """``figures``: told of every alert sent (the figures of matching)."""
        self._figures = figures
        self._queue = queue
        self._vacancies = vacancies
        self._availabilities = availabilities
        self._notifier = notifier
        self._pacer = pacer
        self._policy = policy
        self.clock = clock
        self.wake = asyncio.Event()

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            sent = await self.step()
            if not sent:
                self.wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(_first(stop, self.wake), IDLE_WAIT)

    async def step(self) -> int:
        """Send what is due now; how many items were handled."""
        now = self.clock()
        quiet = self._policy.quiet
        if quiet is not None and quiet.contains(now):
            return 0  # kept until the quiet hours end
        items = await self._queue.due(now)
        for item in items:
            await self._send(item, self.clock())
        return len(items)

    async def _send(self, item: Item, now: datetime) -> None:
        person, policy = item.person, self._policy
        if not await self._availabilities.alerted(person):
            await self._queue.drop(item)  # stopped, forgotten or expired meanwhile
            return
        day = policy.day(now)
        vacancy = None
        if item.vacancy_id is not None:
            vacancy = await self._vacancies.get(item.vacancy_id)
            if vacancy is None or not vacancy.is_open(now):
                await self._queue.drop(item)
                return
        cap = policy.per_day
        if self._figures is not None and policy.halve_after:
            cap = policy.cap(await self._figures.unopened(person))
        claimed = await self._queue.claim(
            item, now, day=day, cap=cap, digest_due=policy.next_digest(now)
        )
        if claimed != "send":
            return
        digested: list[str] = []
        named: list[str] = []
        if vacancy is not None:
            notice: VacancyAlert | AlertDigest = VacancyAlert(vacancy)
            named = [vacancy.id]
        else:
            digested = await self._queue.digest(person)
            found = [v for v in await self._vacancies.get_many(digested) if v.is_open(now)]
            found.sort(key=lambda v: v.posted_at, reverse=True)
            if not found:
                await self._queue.done(item, digested)
                return
            notice = AlertDigest(tuple(found[:DIGEST_MAX]))
            named = [v.id for v in found[:DIGEST_MAX]]
        slot = await self._pacer.acquire(person)
        delivery = await self._notifier.deliver(person, notice)
        await self._pacer.sent(slot)
        if delivery is Delivery.sent:
            await self._queue.done(item, digested)
            if self._figures is not None:
                await self._figures.alert_sent(person, named, now)
        elif delivery is Delivery.blocked:
            await self._availabilities.stop(person)
            await self._queue.drop(item, uncount=day)
            log.info("Alerts stopped for a person who cannot be reached")
        elif await self._queue.failed(item, now, "not delivered", day=day):
            log.warning("Alert %s dead-lettered after repeated failures", item.name)


async def _first(*events: asyncio.Event) -> None:
    waiters = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
