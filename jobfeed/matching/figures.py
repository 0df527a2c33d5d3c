"""Figures of matching per local day: alerts sent and opened, applications from alerts, invitations
and how they ended, and the sizes of the labour office's two lists.

Counters are kept per day (``matching_figures``); applications from alerts and the
invitations' outcomes are read when asked from what was alerted and invited that day, so
an application filed days after the alert counts for the day of the alert.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from redis.asyncio import Redis

from jobfeed.applications.repository import ApplicationRepository
from jobfeed.keys import Keys
from jobfeed.matching.invitations import FIGURES_TTL, InvitationOutcome, Invitations

ALERTS_SENT = "alerts_sent"
ALERTS_OPENED = "alerts_opened"
STREAK_TTL = 60 * 86_400
UNFILLED, UNMATCHED, MEASURED = "unfilled", "unmatched", "measured_at"


class DayFigures(BaseModel):
    day: str  # YYYY-MM-DD, local
    alerts_sent: int
    alerts_opened: int  # alerted vacancies whose apply link the person opened
    applications_from_alerts: int
    invitations: int
    accepted: int
    declined: int
    pending: int
    unfilled: int | None  # the list's size as last measured that day; None: never
    unmatched: int | None


class MatchingFigures:
    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        applications: ApplicationRepository,
        invitations: Invitations,
        zone: ZoneInfo,
    ) -> None:
        self._redis = redis
        self._keys = keys
        self._applications = applications
        self._invitations = invitations
        self.zone = zone

    def day(self, moment: datetime) -> str:
        return moment.astimezone(self.zone).strftime("%Y%m%d")

    async def alert_sent(self, person: int, vacancy_ids: list[str], now: datetime) -> None:
        """One alert or digest went out, naming ``vacancy_ids``."""
        k, day = self._keys, self.day(now)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hincrby(k.matching_figures(day), ALERTS_SENT, 1)
            pipe.expire(k.matching_figures(day), FIGURES_TTL)
            if vacancy_ids:
                pipe.sadd(k.matching_alerted(day), *[f"{person}:{v}" for v in vacancy_ids])
                pipe.expire(k.matching_alerted(day), FIGURES_TTL)
            pipe.incr(k.alerts_unopened(person))
            pipe.expire(k.alerts_unopened(person), STREAK_TTL)
            await pipe.execute()

    async def opened(self, person: int, vacancy_id: str, now: datetime) -> bool:
        """The person opened the apply link of ``vacancy_id``: counted (once per vacancy)
        when they were alerted of it, and their run of unopened alerts ends. True when
        it counted."""
        k = self._keys
        if not await self._redis.sismember(k.alerts_sent(person), vacancy_id):
            return False
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.sadd(k.alerts_opened(person), vacancy_id)
            pipe.expire(k.alerts_opened(person), STREAK_TTL)
            pipe.delete(k.alerts_unopened(person))
            first, *_ = await pipe.execute()
        if first:
            day = k.matching_figures(self.day(now))
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.hincrby(day, ALERTS_OPENED, 1)
                pipe.expire(day, FIGURES_TTL)
                await pipe.execute()
        return bool(first)

    async def unopened(self, person: int) -> int:
        """Alerts sent to the person in a row since they last opened one."""
        return int(await self._redis.get(self._keys.alerts_unopened(person)) or 0)

    async def list_sizes(self, now: datetime, unfilled: int, unmatched: int) -> None:
        key = self._keys.matching_figures(self.day(now))
        async with self._redis.pipeline(transaction=True) as pipe:
            sizes: dict[Any, Any] = {
                UNFILLED: unfilled,
                UNMATCHED: unmatched,
                MEASURED: now.timestamp(),
            }
            pipe.hset(key, mapping=sizes)
            pipe.expire(key, FIGURES_TTL)
            await pipe.execute()

    async def sizes_measured(self, now: datetime) -> datetime | None:
        """When today's list sizes were last measured; None: not today."""
        raw = await self._redis.hget(self._keys.matching_figures(self.day(now)), MEASURED)
        return datetime.fromtimestamp(float(raw), tz=now.tzinfo) if raw else None

    async def days(self, now: datetime, count: int) -> list[DayFigures]:
        """The last ``count`` local days, today last."""
        today = now.astimezone(self.zone).date()
        out = []
        for back in range(count - 1, -1, -1):
            day = today - timedelta(days=back)
            out.append(await self._of_day(day.strftime("%Y%m%d"), day.isoformat()))
        return out

    async def _of_day(self, day: str, label: str) -> DayFigures:
        k = self._keys
        counters: Any = await self._redis.hgetall(k.matching_figures(day))
        alerted: Any = await self._redis.smembers(k.matching_alerted(day))
        applied = 0
        for member in alerted:
            person, _, vacancy_id = str(member).partition(":")
            if await self._applications.applied_to(int(person), vacancy_id) is not None:
                applied += 1
        outcomes = await self._invitations.outcomes_of_day(day)

        def size(name: str) -> int | None:
            return int(counters[name]) if name in counters else None

        return DayFigures(
            day=label,
            alerts_sent=int(counters.get(ALERTS_SENT, 0)),
            alerts_opened=int(counters.get(ALERTS_OPENED, 0)),
            applications_from_alerts=applied,
            invitations=sum(outcomes.values()),
            accepted=outcomes[InvitationOutcome.accepted],
            declined=outcomes[InvitationOutcome.declined],
            pending=outcomes[InvitationOutcome.pending],
            unfilled=size(UNFILLED),
            unmatched=size(UNMATCHED),
        )
