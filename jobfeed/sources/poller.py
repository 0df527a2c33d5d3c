"""Polling the configured sources: each on its own interval, with conditional requests.

A source that fails (unreachable, timed out, garbage, a Redis hiccup) is retried after
``retry_base`` seconds, doubling up to ``retry_max``; its error is kept in its state and
logged, and the other sources go on. Fetches run concurrently; imports one at a time, so
that near-duplicates arriving from two sources at once still meet.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

from jobfeed.periodic import sleep_unless
from jobfeed.sources.config import FeedsConfig, SourceConfig
from jobfeed.sources.fetch import Fetcher, Validators
from jobfeed.sources.formats import records_from_bytes
from jobfeed.sources.importer import VacancyImporter
from jobfeed.sources.ledger import FeedLedger, SourceState
from jobfeed.sources.normalise import SourceIdentity
from jobfeed.sources.records import ImportReport, SourceError

log = logging.getLogger(__name__)

OnReport = Callable[[SourceConfig, ImportReport], Awaitable[None]]
_MAX_SLEEP = 60.0


def identity(source: SourceConfig) -> SourceIdentity:
    expiry = timedelta(days=source.expiry_days) if source.expiry_days else None
    return SourceIdentity(source.name, source.prefix, expiry)


class FeedPoller:
    def __init__(
        self,
        config: FeedsConfig,
        fetcher: Fetcher,
        importer: VacancyImporter,
        ledger: FeedLedger,
        *,
        on_report: OnReport | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._config = config
        self._fetcher = fetcher
        self._importer = importer
        self._ledger = ledger
        self._on_report = on_report
        self._clock = clock
        self._import_lock = asyncio.Lock()

    @property
    def sources(self) -> list[SourceConfig]:
        return [s for s in self._config.sources if s.enabled]

    async def state(self, name: str) -> SourceState:
        return await self._ledger.state(name)

    async def poll(self, source: SourceConfig) -> ImportReport | None:
        """One attempt at one source; None when it had not changed. Raises nothing: a
        failure is recorded in the source's state (see ``ledger``) and logged."""
        state = await self._ledger.state(source.name)
        now = self._clock()
        state.last_attempt = now
        try:
            report = await self._fetch_and_import(source, state)
        except Exception as exc:  # one source's failure must not stop the others
            state.failures += 1
            delay = min(
                self._config.retry_base * 2 ** (state.failures - 1), self._config.retry_max
            )
            state.next_at = now + delay
            state.last_error = _describe(exc)
            log.warning(
                "feed %s failed (%s); attempt %d, retrying in %.0f s",
                source.name,
                state.last_error,
                state.failures,
                delay,
                exc_info=not isinstance(exc, SourceError),
            )
            await self._save_state(source, state)
            return None
        state.failures = 0
        state.last_error = ""
        state.last_ok = now
        state.next_at = now + source.interval
        if report is not None:
            state.last_report = _json(report)
        await self._save_state(source, state)
        if report is not None and self._on_report is not None:
            await self._on_report(source, report)
        return report

    async def poll_due(self) -> float:
        """Poll every source that is due; returns seconds until the next one is."""
        now = self._clock()
        states = {s.name: await self._ledger.state(s.name) for s in self.sources}
        due = [s for s in self.sources if states[s.name].next_at <= now]
        if due:
            await asyncio.gather(*(self.poll(s) for s in due))
            states = {s.name: await self._ledger.state(s.name) for s in self.sources}
        if not states:
            return _MAX_SLEEP
        return max(0.0, min(st.next_at for st in states.values()) - self._clock())

    async def run(self, stop: asyncio.Event) -> None:
        log.info("Polling %d feed sources", len(self.sources))
        while not stop.is_set():
            try:
                wait = await self.poll_due()
            except Exception:  # Redis unreachable: say so, try again shortly
                log.exception("feed poller: cannot read the sources' state")
                wait = self._config.retry_base
            await sleep_unless(stop, min(max(wait, 0.01), _MAX_SLEEP))

    async def _fetch_and_import(
        self, source: SourceConfig, state: SourceState
    ) -> ImportReport | None:
        since = Validators(state.etag or None, state.last_modified or None)
        fetched = await self._fetcher.fetch(source.url, since, source.timeout)
        if fetched.body is None:
            log.debug("feed %s: not modified", source.name)
            return None
        unknown: set[str] = set()
        async with self._import_lock:
            records = records_from_bytes(source.kind, fetched.body, unknown, source.items)
            report = await self._importer.run(records, identity(source))
        if unknown:
            report.notes.append("ignored fields: " + ", ".join(sorted(unknown)))
        # Validators only after a complete import: a failed one is fetched again in full.
        state.etag = fetched.validators.etag or ""
        state.last_modified = fetched.validators.last_modified or ""
        log.info("feed %s", report.summary())
        for rejection in report.rejected[:20]:
            log.info("feed %s rejected %s", source.name, rejection)
        return report

    async def _save_state(self, source: SourceConfig, state: SourceState) -> None:
        try:
            await self._ledger.save_state(source.name, state)
        except Exception:
            log.exception("feed %s: cannot save its poll state", source.name)


def _describe(exc: Exception) -> str:
    if isinstance(exc, SourceError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _json(report: ImportReport) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False)
