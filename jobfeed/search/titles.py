"""The search index's tables: vacancies grouped by title (``Title``, ``Entry``) and the pure
functions over one entry (its place tier, its monthly pay, its fingerprint)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from jobfeed.models import SalaryUnit, Vacancy
from jobfeed.places import Place, PlaceLevel
from jobfeed.search import scoring
from jobfeed.search.wishes import Offer

MONTHLY = {SalaryUnit.month: 1, SalaryUnit.day: 26, SalaryUnit.hour: 208}


@dataclass(slots=True)
class Entry:
    id: str
    title: str  # as the vacancy has it; titles differing only in fillers share a Title
    title_id: int
    city: str
    province: str
    prefecture: str | None
    posted: float
    expires: float | None
    pay: int | None  # monthly equivalent of the upper bound, for ``min_pay``
    offer: Offer  # what it gives and whom it admits, for the query's wishes
    fingerprint: int  # of the fields the index uses, to skip unchanged vacancies on reload


@dataclass(slots=True)
class Wished:
    ranked: list[tuple[Any, ...]] = field(default_factory=list)  # sortable, the entry last
    total: int = 0
    met: set[str] = field(default_factory=set)  # wishes some vacancy meets
    best_pay: int | None = None


@dataclass(slots=True)
class Title:
    """What vacancy titles have in common once normalised, place prefix and fillers gone
    (急招电焊工（包吃住）, 天津电焊工 and 电焊工 are one)."""

    id: int
    text: str
    strings: scoring.TitleStrings
    concepts: frozenset[str]
    synsets: frozenset[int]
    keys: frozenset[str]
    entries: dict[str, Entry] = field(default_factory=dict)
    by_city: dict[str, dict[str, Entry]] = field(default_factory=dict)
    newest_first: list[Entry] | None = None

    def sorted_entries(self) -> list[Entry]:
        if self.newest_first is None:
            self.newest_first = sorted(self.entries.values(), key=lambda e: (-e.posted, e.id))
        return self.newest_first


def in_places(title: Title, place: Place | None, names: list[str] | None) -> Iterable[Entry]:
    """A title's vacancies in the places ``names`` (None: all, newest first)."""
    if names is None:
        return title.sorted_entries()
    if place is not None and place.level is PlaceLevel.province:
        return (e for e in title.entries.values() if e.province == place.name)
    return (e for name in names for e in title.by_city.get(name, {}).values())


def without_names(title: str, *names: str | None) -> str:
    """``title`` less the employer's or brand's name in it (梅园光伏电站招电工 → 招电工)."""
    for name in names:
        if name and len(name) >= 2 and name in title:
            rest = title.replace(name, " ")
            title = rest if rest.strip() else title
    return title


def place_tier(place: Place, entry: Entry) -> int:
    """0: in the place; 1: in a county of the prefecture asked for; 2: same province; 3: else."""
    if place.level is PlaceLevel.province:
        return 0 if entry.province == place.name else 3
    same_province = not entry.province or not place.province or entry.province == place.province
    if entry.city == place.name and same_province:
        return 0
    if place.level is PlaceLevel.prefecture and entry.prefecture == place.name and same_province:
        return 1
    return 2 if entry.province == place.province else 3


def pays_at_least(entry: Entry, min_pay: int | None) -> bool:
    return min_pay is None or (entry.pay is not None and entry.pay >= min_pay)


def monthly_pay(vacancy: Vacancy) -> int | None:
    top = vacancy.salary_max if vacancy.salary_max is not None else vacancy.salary_min
    return None if top is None else top * MONTHLY[vacancy.salary_unit]


def fingerprint_of(vacancy: Vacancy) -> int:
    return hash(
        (
            vacancy.title,
            tuple(vacancy.benefits),
            vacancy.requirements,
            vacancy.description,
            vacancy.city,
            vacancy.province,
            vacancy.posted_at,
            vacancy.expires_at,
            vacancy.salary_min,
            vacancy.salary_max,
            vacancy.salary_unit,
        )
    )


def title_grams(text: str, size: int) -> set[str]:
    if len(text) <= size:
        return {text} if text else set()
    return {text[i : i + size] for i in range(len(text) - size + 1)}
