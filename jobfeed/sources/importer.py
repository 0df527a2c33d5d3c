"""Records in, vacancies out: normalise, de-duplicate and write, one atomic batch at a time.

Per record: unchanged since the last import (same content digest) -> nothing; seen
before -> the vacancy it became is updated; new -> merged into an open near-duplicate
of another source, or created. A bad record is rejected before anything is written; a
batch (vacancies plus bookkeeping) is one transaction, so a crash leaves no half-import.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

from jobfeed.compliance.checker import PostChecker
from jobfeed.models import Vacancy, VacancyStatus, utcnow
from jobfeed.sources.dedup import DuplicateIndex, Fingerprint, can_absorb, merge_into
from jobfeed.sources.ledger import FeedLedger, Seen
from jobfeed.sources.normalise import Normaliser, RecordError, SourceIdentity
from jobfeed.sources.records import ImportReport, RawRecord, Rejection
from jobfeed.vacancies import VacancyRepository

Progress = Callable[[int], None]


@dataclass(slots=True)
class _Pending:
    """What one batch will write."""

    vacancies: dict[str, Vacancy] = field(default_factory=dict)
    seen: dict[str, Seen] = field(default_factory=dict)
    added: list[tuple[str, str, Fingerprint]] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Item:
    position: int
    record: RawRecord
    source_key: str
    own_id: str
    digest: str


class VacancyImporter:
    def __init__(
        self,
        vacancies: VacancyRepository,
        ledger: FeedLedger,
        normaliser: Normaliser,
        *,
        batch_size: int = 500,
        clock: Callable[[], datetime] = utcnow,
        checker: PostChecker | None = None,
    ) -> None:
        self._checker = checker or PostChecker.load()
        self._vacancies = vacancies
        self._ledger = ledger
        self._normaliser = normaliser
        self._batch_size = batch_size
        self._clock = clock

    async def run(
        self,
        records: Iterable[RawRecord | Rejection],
        source: SourceIdentity,
        *,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Import everything ``records`` yields. A ``SourceError`` raised while reading
        propagates after the batches before it were written."""
        report = ImportReport(source=source.name)
        index = DuplicateIndex()
        iterator = iter(records)
        while batch := list(islice(iterator, self._batch_size)):
            await self._batch(batch, source, index, report)
            if progress is not None:
                progress(len(batch))
        return report

    async def _batch(
        self,
        batch: list[RawRecord | Rejection],
        source: SourceIdentity,
        index: DuplicateIndex,
        report: ImportReport,
    ) -> None:
        rejected: list[tuple[int, Rejection]] = []
        items = list(self._items(batch, source, rejected))
        seen = dict(
            zip(
                (i.source_key for i in items),
                await self._ledger.seen([i.source_key for i in items]),
                strict=True,
            )
        )
        changed: list[_Item] = []
        digests: dict[str, str] = {}  # within this batch: a record listed twice
        for item in items:
            before = seen[item.source_key]
            last = digests.get(item.source_key, before.digest if before else None)
            digests[item.source_key] = item.digest
            if last == item.digest:
                report.unchanged += 1
            else:
                changed.append(item)
        targets = {(s.vacancy_id if (s := seen[i.source_key]) else i.own_id) for i in changed}
        known = {v.id: v for v in await self._vacancies.get_many(sorted(targets))}
        now = self._clock()
        pending = _Pending()
        built: list[tuple[_Item, Vacancy, str]] = []
        for item in changed:
            before = seen[item.source_key]
            target = before.vacancy_id if before else item.own_id
            previous = known.get(target) if target == item.own_id else known.get(item.own_id)
            try:
                vacancy = self._normaliser.vacancy(item.record, source, now, previous)
            except RecordError as exc:
                rejected.append((item.position, Rejection(item.record.where, str(exc))))
                continue
            # The post checker: an unlawful or incomplete post is kept, held, with findings.
            vacancy = self._checker.apply(vacancy, previous=previous)
            if vacancy.status is VacancyStatus.held:
                report.held_ids.append(vacancy.id)
            built.append((item, vacancy, target))
        report.rejected += [r for _, r in sorted(rejected, key=lambda pair: pair[0])]
        await self._load_cities(index, {v.city for _, v, _ in built})
        for item, vacancy, target in built:
            await self._place(
                item=item,
                vacancy=vacancy,
                target=target,
                known=known,
                index=index,
                pending=pending,
                report=report,
            )
        if pending.vacancies:
            await self._vacancies.save_many(
                list(pending.vacancies.values()),
                also=lambda pipe: self._ledger.queue_writes(
                    pipe, pending.seen, pending.added, pending.removed
                ),
            )
        elif pending.seen:
            await self._ledger.write(pending.seen, pending.added, pending.removed)

    def _items(
        self,
        batch: list[RawRecord | Rejection],
        source: SourceIdentity,
        rejected: list[tuple[int, Rejection]],
    ) -> Iterator[_Item]:
        for position, entry in enumerate(batch):
            if isinstance(entry, Rejection):
                rejected.append((position, entry))
                continue
            try:
                raw_id = self._normaliser.raw_id(entry)
            except RecordError as exc:
                rejected.append((position, Rejection(entry.where, str(exc))))
                continue
            key, own_id = source.source_key(raw_id), source.vacancy_id(raw_id)
            yield _Item(position, entry, key, own_id, _digest(entry))

    async def _load_cities(self, index: DuplicateIndex, cities: set[str]) -> None:
        missing = [city for city in cities if not index.loaded(city)]
        if missing:
            for city, entries in (await self._ledger.fingerprints(missing)).items():
                index.load(city, entries)

    async def _place(
        self,
        *,
        item: _Item,
        vacancy: Vacancy,
        target: str,
        known: dict[str, Vacancy],
        index: DuplicateIndex,
        pending: _Pending,
        report: ImportReport,
    ) -> None:
        current = pending.vacancies.get(target) or known.get(target)
        if target != item.own_id and current is not None:
            # Seen before and merged into another source's vacancy: it stays merged.
            self._absorb(current, vacancy, pending)
            report.updated += 1
        elif current is not None:
            self._keep(current, vacancy, index, pending)
            report.updated += 1
            if current.is_open(vacancy.updated_at) and not vacancy.is_open(vacancy.updated_at):
                report.ended_ids.append(vacancy.id)
        else:
            absorbed_by = await self._twin(vacancy, index, pending)
            if absorbed_by is not None:
                self._absorb(absorbed_by, vacancy, pending)
                target = absorbed_by.id
                report.merged += 1
            else:
                self._keep(None, vacancy, index, pending)
                target = vacancy.id
                report.imported += 1
                report.new_ids.append(vacancy.id)
        pending.seen[item.source_key] = Seen(target, item.digest)

    async def _twin(
        self, vacancy: Vacancy, index: DuplicateIndex, pending: _Pending
    ) -> Vacancy | None:
        if not index.has_other_sources(vacancy.city, vacancy.source):
            return None
        for candidate_id in index.candidates(vacancy.city, Fingerprint.of(vacancy)):
            candidate = pending.vacancies.get(candidate_id) or await self._vacancies.get(
                candidate_id
            )
            if candidate is not None and can_absorb(candidate):
                return candidate
        return None

    def _absorb(self, canonical: Vacancy, duplicate: Vacancy, pending: _Pending) -> None:
        merged = merge_into(canonical, duplicate)
        if merged is not None:
            pending.vacancies[merged.id] = self._checker.apply(merged, previous=canonical)

    def _keep(
        self,
        previous: Vacancy | None,
        vacancy: Vacancy,
        index: DuplicateIndex,
        pending: _Pending,
    ) -> None:
        fingerprint = Fingerprint.of(vacancy)
        if previous is not None and previous.city != vacancy.city:
            pending.removed.append((previous.city, previous.id))
            index.remove(previous.city, previous.id, previous.source)
        pending.vacancies[vacancy.id] = vacancy
        pending.added.append((vacancy.city, vacancy.id, fingerprint))
        index.add(vacancy.city, vacancy.id, fingerprint)


def _digest(record: RawRecord) -> str:
    text = json.dumps(record.fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()
