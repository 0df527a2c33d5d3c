"""What a search answers: the hits, why each is one, and where the search looked."""

from __future__ import annotations

from dataclasses import dataclass

from jobfeed.places import Place
from jobfeed.search.query import ParsedQuery


@dataclass(frozen=True, slots=True)
class Matched:
    """Why a hit is an answer, briefly enough for an answer line."""

    trade: str  # the trade as the title names it (电焊工)
    place: str | None  # where the hit is, when the query asked for a place
    wishes: tuple[str, ...] = ()  # the wishes it meets: 8000以上, 包吃住
    tolerances: tuple[str, ...] = ()  # how the query was read: 同音, 形近, 地点附近


@dataclass(frozen=True, slots=True)
class SearchHit:
    vacancy_id: str
    score: float  # 0–100
    title: str
    city: str
    matched: Matched = Matched("", None)


@dataclass(frozen=True, slots=True)
class SearchResult:
    hits: list[SearchHit]
    total: int  # hits there are in all, for paging
    query: ParsedQuery
    place: Place | None  # where the search looked: named in the query, else ``city``
    in_place: bool  # False: nothing matched in ``place``, so the hits are from elsewhere
    unmet: tuple[str, ...] = ()  # wishes of the query that no vacancy found meets
    best_pay: int | None = None  # when the pay wish is unmet: the most any of them pays

    def __bool__(self) -> bool:
        return bool(self.hits)

    def matched_for(self, vacancy_id: str) -> Matched | None:
        return next((h.matched for h in self.hits if h.vacancy_id == vacancy_id), None)
