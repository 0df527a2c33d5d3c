"""A search index that stays current in every process: it loads all vacancies at start and
follows the repository's change channel.

Pub/sub drops whatever is published while a subscriber is disconnected, so the version
counter is polled as a safety net: each change bumps it and announces at least one id, so
when fewer announcements arrived than the version moved between two polls, some were lost
and the index reloads everything. A periodic full reload bounds what that check cannot see
(a batch announcing several ids for one bump, next to a lost one).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable
from types import TracebackType
from typing import Any, Protocol

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

from jobfeed.keys import Keys
from jobfeed.models import Vacancy
from jobfeed.search.index import SearchIndex

log = logging.getLogger(__name__)

MAX_BATCH = 500  # ids applied together when announcements arrive in a burst
_CHUNK = 1000  # vacancies indexed between yields to the event loop during a full load


class VacancySource(Protocol):
    """What the live index needs of ``jobfeed.vacancies.VacancyRepository``."""

    async def all(self) -> list[Vacancy]: ...

    async def get_many(self, ids: Iterable[str]) -> list[Vacancy]: ...

    async def version(self) -> int: ...


class LiveIndex:
    def __init__(
        self,
        vacancies: VacancySource,
        redis: Redis,
        keys: Keys,
        index: SearchIndex | None = None,
        *,
        poll_interval: float = 5.0,
        full_reload_interval: float | None = 900.0,
    ) -> None:
        self.index = index if index is not None else SearchIndex()  # an empty one is falsy
        self._vacancies = vacancies
        self._redis = redis
        self._channel = keys.vacancies_changes
        self._poll_interval = poll_interval
        self._full_reload_interval = full_reload_interval
        self._tasks: list[asyncio.Task[None]] = []
        self._pubsub: PubSub | None = None
        self._lock = asyncio.Lock()
        self._base_version = 0  # the version the last full load saw
        self._announced = 0  # ids announced since then
        self._owed: int | None = None  # announcements due by the next poll
        self._loaded_at = 0.0
        self.reloads = 0
        self.loaded = asyncio.Event()  # set once the first full load is in place

    async def __aenter__(self) -> LiveIndex:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def start(self) -> None:
        """Subscribe, then load everything (in that order, so no change falls between)."""
        self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        await self._pubsub.subscribe(self._channel)
        await self.reload()
        self._tasks = [
            asyncio.create_task(self._listen(), name="live-index-listen"),
            asyncio.create_task(self._poll(), name="live-index-poll"),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        if self._pubsub is not None:
            with contextlib.suppress(RedisError, OSError):
                await self._pubsub.aclose()  # type: ignore[no-untyped-call]  # redis-py lacks hints
            self._pubsub = None

    async def reload(self) -> None:
        """Load every vacancy again, changing only what differs from the index."""
        async with self._lock:
            version = await self._vacancies.version()
            vacancies = await self._vacancies.all()
            if not len(self.index):
                # The first load indexes everything (seconds at 100,000 vacancies): a fresh
                # index built in a thread, swapped in whole, keeps the event loop answering.
                # Searches meanwhile see the (empty) old one, never a half-built one.
                fresh = SearchIndex(
                    self.index.lexicon,
                    self.index.places,
                    min_score=self.index.min_score,
                    parse_cache=self.index.parse_cache,
                )
                await asyncio.to_thread(fresh.build, vacancies)
                self.index = fresh
            seen = set()
            # Taken off the list chunk by chunk: freeing 100,000 vacancies at once at the
            # end would hold the event loop for a fifth of a second.
            vacancies.reverse()
            while vacancies:
                chunk = vacancies[-_CHUNK:]
                del vacancies[-_CHUNK:]
                for vacancy in chunk:
                    seen.add(vacancy.id)
                    if not self.index.is_current(vacancy):
                        self.index.upsert(vacancy)
                del chunk
                await asyncio.sleep(0)
            for vacancy_id in self.index.ids() - seen:
                self.index.remove(vacancy_id)
            self._base_version, self._announced, self._owed = version, 0, None
            self._loaded_at = time.monotonic()
            self.reloads += 1
            self.loaded.set()
        log.info("Search index loaded: %d open vacancies (version %d)", len(self.index), version)

    async def apply(self, ids: Iterable[str]) -> None:
        """Bring the given vacancies up to date (gone or closed ones leave the index)."""
        wanted = set(ids)
        async with self._lock:
            found = await self._vacancies.get_many(wanted)
            for vacancy in found:
                self.index.upsert(vacancy)
            for vacancy_id in wanted - {v.id for v in found}:
                self.index.remove(vacancy_id)

    async def _listen(self) -> None:
        assert self._pubsub is not None  # set by start()
        while True:
            try:
                message = await self._pubsub.get_message(timeout=1.0)
                if message is None:
                    continue
                ids = [_text(message["data"])]
                while len(ids) < MAX_BATCH:
                    more = await self._pubsub.get_message(timeout=0)
                    if more is None:
                        break
                    ids.append(_text(more["data"]))
                self._announced += len(ids)
                await self.apply(ids)
            except (RedisError, OSError) as exc:
                # redis-py reconnects and resubscribes by itself; what was published in the
                # gap is lost, which the poll notices.
                log.warning("Vacancy change channel failed: %s", exc)
                await asyncio.sleep(self._poll_interval)
            except Exception:  # e.g. a vacancy that no longer validates: keep following
                log.exception("Applying vacancy changes failed")

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self._poll_interval)
            try:
                await self.check()
            except Exception:  # the index must keep serving; the next poll tries again
                log.exception("Search index check failed")

    async def check(self) -> None:
        """Reload everything if announcements were lost or a periodic reload is due."""
        version = await self._vacancies.version()
        lost = self._owed is not None and self._announced < self._owed
        due = (
            self._full_reload_interval is not None
            and time.monotonic() - self._loaded_at >= self._full_reload_interval
        )
        if version < self._base_version or lost or due:
            if lost:
                log.warning("Vacancy changes were missed; reloading the search index")
            await self.reload()
            return
        self._owed = version - self._base_version


def _text(data: Any) -> str:
    return data.decode() if isinstance(data, bytes) else str(data)
