"""Auto-broadcast rules of the sources, on top of the broadcast engine.

- ``broadcast = "each"``: every new vacancy of the source is broadcast to the groups its
  ``target`` selects (idempotency key ``feed:<vacancy id>``: a replayed report, or a merged
  twin from another source, never makes a second broadcast).
- ``broadcast = "digest"``: new vacancies wait in a queue; every ``digest_every`` seconds
  (not during quiet hours) the oldest open ones, up to the engine's ``MAX_DIGEST``, go out
  as one post, so a group gets at most one post per source per interval. The engine's
  pacing keeps every group within ``GROUP_RATE_PER_MINUTE`` and holds sends in quiet hours.
- When a posted vacancy ends (expired by the sweeper, or closed by its feed), its post is
  edited to show it ended (``on_expiry = "edit"``) or deleted (``"withdraw"``; a digest is
  deleted only once all its vacancies ended, until then it is edited). A post still being
  sent is waited for; a single vacancy's one is cancelled first, so no group gets the post
  of a vacancy that has ended.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from jobfeed.broadcast.models import MAX_DIGEST, Broadcast
from jobfeed.broadcast.planner import BroadcastPlanner, PlanError
from jobfeed.broadcast.plans import BroadcastError, BroadcastPlans
from jobfeed.broadcast.quiet import QuietHours
from jobfeed.models import Vacancy, utcnow
from jobfeed.periodic import sleep_unless
from jobfeed.sources.config import BroadcastMode, ExpiryAction, FeedsConfig, SourceConfig
from jobfeed.sources.ledger import FeedLedger
from jobfeed.sources.records import ImportReport
from jobfeed.vacancies import VacancyRepository

log = logging.getLogger(__name__)

RETRY_SECONDS = 30.0  # an edit waits this long for a post still being sent


class FeedBroadcasts:
    def __init__(
        self,
        config: FeedsConfig,
        ledger: FeedLedger,
        planner: BroadcastPlanner,
        broadcasts: BroadcastPlans,
        vacancies: VacancyRepository,
        *,
        quiet: QuietHours | None = None,
        clock: Callable[[], datetime] = utcnow,
        tick_seconds: float = 5.0,
    ) -> None:
        self._config = config
        self._ledger = ledger
        self._planner = planner
        self._broadcasts = broadcasts
        self._vacancies = vacancies
        self._quiet = quiet
        self._clock = clock
        self._tick_seconds = tick_seconds

    async def on_report(self, source: SourceConfig, report: ImportReport) -> None:
        """After an import: announce (or queue) what is new, retract what ended."""
        now = self._clock()
        await self._ledger.mark_ended(report.ended_ids, now.timestamp())
        if not report.new_ids or source.broadcast is BroadcastMode.off:
            return
        if source.broadcast is BroadcastMode.digest:
            await self._ledger.queue_for_digest(source.name, report.new_ids, now.timestamp())
            return
        for vacancy_id in report.new_ids:
            await self._announce(source, [vacancy_id], key=f"feed:{vacancy_id}")

    async def on_expired(self, vacancies: Sequence[Vacancy]) -> None:
        """The sweeper's hook (``FeedLedger.vacancies_ended`` does the same in processes
        without the broadcast side): queue the posts of expired vacancies for retraction."""
        await self._ledger.mark_ended([v.id for v in vacancies], self._clock().timestamp())

    async def tick(self) -> None:
        """Send the digests that are due, and edit or withdraw the posts of ended vacancies."""
        now = self._clock()
        for source in self._config.sources:
            if source.enabled and source.broadcast is BroadcastMode.digest:
                await self._digest(source, now)
        for vacancy_id in await self._ledger.ended_due(now.timestamp()):
            await self._retract(vacancy_id, now)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.tick()
            except Exception:  # Redis away for a moment: the next tick catches up
                log.exception("Feed broadcasts: tick failed")
            await sleep_unless(stop, self._tick_seconds)

    async def _announce(
        self, source: SourceConfig, vacancy_ids: list[str], *, key: str
    ) -> Broadcast | None:
        try:
            broadcast = await self._planner.create(vacancy_ids, source.target, key=key)
        except PlanError as exc:  # e.g. the vacancy closed meanwhile, or the post is too long
            log.warning("feed %s: not broadcasting %s: %s", source.name, vacancy_ids, exc)
            return None
        await self._ledger.record_posts(source.name, broadcast.id, vacancy_ids)
        log.info(
            "feed %s: broadcast %s of %s to %s",
            source.name,
            broadcast.id,
            ", ".join(vacancy_ids),
            source.target.describe(),
        )
        return broadcast

    async def _digest(self, source: SourceConfig, now: datetime) -> None:
        if now.timestamp() - await self._ledger.last_digest(source.name) < source.digest_every:
            return
        if self._quiet is not None and self._quiet.contains(now):
            return  # keep gathering: one digest when the quiet hours end, not a backlog
        queued = await self._ledger.digest_queue(source.name)
        if not queued:
            return
        found = {v.id: v for v in await self._vacancies.get_many(queued)}
        still_open = [i for i in queued if i in found and found[i].is_open(now)]
        chosen = still_open[:MAX_DIGEST]
        gone = [i for i in queued if i not in still_open]
        if chosen:
            digest = hashlib.sha1(",".join(chosen).encode()).hexdigest()[:16]
            await self._announce(source, chosen, key=f"feed-digest:{source.name}:{digest}")
        if len(still_open) > len(chosen):
            log.info(
                "feed %s: %d vacancies wait for the next digest",
                source.name,
                len(still_open) - len(chosen),
            )
        await self._ledger.digest_sent(source.name, [*chosen, *gone], now.timestamp())

    async def _retract(self, vacancy_id: str, now: datetime) -> None:
        posted = await self._ledger.post_of(vacancy_id)
        parent = await self._broadcasts.get(posted[1]) if posted else None
        source = self._config.get(posted[0]) if posted else None
        action = source.on_expiry if source else ExpiryAction.edit
        if posted is None or parent is None or action is ExpiryAction.keep:
            await self._ledger.ended_done(vacancy_id)
            return
        if not parent.status.finished:
            if parent.vacancy_ids == [vacancy_id]:
                await self._broadcasts.cancel(parent.id)  # no more posts of an ended vacancy
            await self._ledger.ended_later(vacancy_id, now.timestamp() + RETRY_SECONDS)
            return
        siblings = await self._vacancies.get_many(parent.vacancy_ids)
        withdraw = action is ExpiryAction.withdraw and not any(v.is_open(now) for v in siblings)
        try:
            if withdraw:
                child = await self._planner.withdraw(parent.id, key=f"feed-withdraw:{parent.id}")
            else:
                child = await self._planner.edit(
                    parent.id, key=f"feed-edit:{parent.id}:{vacancy_id}"
                )
        except (PlanError, BroadcastError, LookupError) as exc:
            log.warning("feed: cannot retract the post of %s: %s", vacancy_id, exc)
        else:
            verb = "withdraws" if withdraw else "edits"
            log.info("feed: broadcast %s %s the post of %s", child.id, verb, vacancy_id)
        await self._ledger.ended_done(vacancy_id)
