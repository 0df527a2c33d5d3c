"""The search use case every surface shares: find, record, page.

Group answers, private chat, the HTTP API (and later other channels) ask this service and
only render what it returns: which vacancies answer a query and why (``matched``), the
wishes none of them meets, the best pay found, the page of a saved search and its token.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from redis.exceptions import RedisError

from jobfeed.models import Vacancy
from jobfeed.observe import Ignore, SearchObserver
from jobfeed.search.analytics import SearchAnalytics
from jobfeed.search.index import SearchResult
from jobfeed.search.live import LiveIndex
from jobfeed.search.query import ParsedQuery
from jobfeed.search.saved import SavedSearch, SavedSearches
from jobfeed.vacancies import VacancyRepository

log = logging.getLogger(__name__)

PAGE_SIZE = 5
LOAD_WAIT = 20.0  # seconds an early request waits for the first load of the index
_CITY_SAMPLE = 300  # hits looked at to offer the cities they are in


@dataclass(frozen=True, slots=True)
class Found:
    result: SearchResult  # the hits with their ``matched`` reasons, ``unmet``, ``best_pay``
    vacancies: list[Vacancy]  # the hits' vacancies in order (one deleted meanwhile is left out)

    @property
    def total(self) -> int:
        return self.result.total


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a saved search; a page past the end is the last one."""

    found: Found
    search: SavedSearch
    token: str  # the saved search's token: the paging and filter buttons carry it
    number: int  # 0-based
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.found.total // self.size))

    @property
    def first(self) -> int:
        """The 1-based position of the page's first hit."""
        return self.number * self.size + 1

    @property
    def has_previous(self) -> bool:
        return self.number > 0

    @property
    def has_next(self) -> bool:
        return self.number + 1 < self.pages


class SearchService:
    def __init__(
        self,
        live: LiveIndex,
        vacancies: VacancyRepository,
        saved: SavedSearches,
        analytics: SearchAnalytics,
        observer: SearchObserver | None = None,
    ) -> None:
        self._live = live
        self._vacancies = vacancies
        self._saved = saved
        self._analytics = analytics
        self.observer: SearchObserver = observer or Ignore()  # set by the wiring

    # -- the index -------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        return self._live.loaded.is_set()

    async def ready(self, wait: float = LOAD_WAIT) -> bool:
        """Whether the index is loaded, waiting up to ``wait`` seconds for its first load:
        an answer from a half-loaded index could wrongly say nothing was found."""
        try:
            await asyncio.wait_for(self._live.loaded.wait(), wait)
        except TimeoutError:
            return False
        return True

    def parse(self, text: str) -> ParsedQuery:
        return self._live.index.parse(text)

    def is_small_talk(self, text: str) -> bool:
        """你好, 谢谢: the answer is how to search, not that nothing was found."""
        query = self.parse(text)
        return query.chatter and not query.concepts and query.place is None

    # -- find ------------------------------------------------------------------------------

    def lookup(self, search: SavedSearch, limit: int, offset: int = 0) -> SearchResult:
        """The hits from the index alone (ids, titles, scores, reasons), no Redis read.
        Every surface's search (and page) goes through here: it is what is timed."""
        started = time.perf_counter()
        result = self._search(search, limit, offset)
        self.observer.searched(time.perf_counter() - started, result.total)
        return result

    def _search(self, search: SavedSearch, limit: int, offset: int = 0) -> SearchResult:
        return self._live.index.search(
            search.text, limit, offset, city=search.city, min_pay=search.min_pay
        )

    async def find(self, search: SavedSearch, limit: int, offset: int = 0) -> Found:
        """The hits and their vacancies as stored."""
        result = self.lookup(search, limit, offset)
        ids = [h.vacancy_id for h in result.hits]
        stored = {v.id: v for v in await self._vacancies.get_many(ids)}
        return Found(result, [stored[h.vacancy_id] for h in result.hits if h.vacancy_id in stored])

    def hint_trades(self, result: SearchResult, limit: int = 5) -> list[tuple[str, int]]:
        """What there is plenty of (in the place asked about, if any), after nothing found."""
        place = result.query.place
        index = self._live.index
        trades = index.popular(limit, city=place.name) if place else []
        return trades or index.popular(limit)

    def cities(self, search: SavedSearch, limit: int, fits: Callable[[str], bool]) -> list[str]:
        """The cities the search's hits (anywhere) are in, most hits first; only those
        ``fits`` accepts (a channel's buttons may carry only short names)."""
        anywhere = search.model_copy(update={"city": None})
        result = self._search(anywhere, _CITY_SAMPLE)
        counts = Counter(h.city for h in result.hits if fits(h.city))
        return [city for city, _ in counts.most_common(limit)]

    # -- record ----------------------------------------------------------------------------

    async def record(self, text: str, total: int) -> None:
        """Count an answered query (its text and hit count, nobody's identity); a lost
        count must not fail an answer that went out."""
        try:
            await self._analytics.record(text, total)
        except RedisError as exc:
            log.warning("Search analytics not recorded: %s", exc)

    # -- page ------------------------------------------------------------------------------

    async def page(self, search: SavedSearch, number: int, size: int = PAGE_SIZE) -> Page:
        """Page ``number`` of ``search``, saved so its token leads back to it."""
        token = await self._saved.save(search)
        found = await self.find(search, size, number * size)
        total = found.total
        if number > 0 and not found.result.hits and total:
            number = (total - 1) // size
            found = await self.find(search, size, number * size)
        return Page(found, search, token, number, size)

    async def more(self, search: SavedSearch, found: Found) -> str | None:
        """The token of ``search`` saved for "more" when it has more hits than ``found``."""
        if found.total <= len(found.vacancies):
            return None
        return await self._saved.save(search)

    async def saved(self, token: str) -> SavedSearch | None:
        return await self._saved.get(token)

    async def save(self, search: SavedSearch) -> str:
        """Keep ``search`` under its token (for a button that acts on it later)."""
        return await self._saved.save(search)

    async def remember(self, user_id: int, search: SavedSearch) -> str:
        """Keep ``search`` as the one ``user_id`` last asked; its token."""
        return await self._saved.remember(user_id, search)

    async def last(self, user_id: int) -> tuple[str, SavedSearch] | None:
        return await self._saved.last(user_id)
