"""Which availabilities a vacancy answers: the search read backwards. Pure, in memory.

The search scores a query against vacancy titles; an alert scores each availability's
trades against one new vacancy's title the same way (``jobfeed.search.scoring``: trade
concepts and synonyms, characters, sounds, typed pinyin; at least ``MIN_SCORE``). Scanning
100,000 availabilities per vacancy would take a second, so they are filed in an inverted
index, trade × place:

- a trade is filed under its concepts and its character and sound bigrams (as the search
  files titles); a vacancy's title looks up the trades sharing any of these, and only those
  are scored, once each whatever the number of people who want that trade;
- under each trade, the availabilities are filed by place key: ``c|<province>|<city>`` for
  a prefecture, county or district, ``p|<province>`` for a province, ``*`` for anywhere. A
  vacancy looks up its city, the prefecture it lies in, its province and ``*`` (nearness
  as the search's tiers 0 and 1: a prefecture's wish takes its counties in);
- then the pay asked for (the vacancy's monthly top pay, as the search's ``min_pay``) and
  the date the person is available from.

``brute_force`` checks every availability the slow way, for the benchmark and the tests.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from jobfeed.matching.models import Availability
from jobfeed.models import Vacancy
from jobfeed.search import pinyin, scoring
from jobfeed.search.index import MIN_SCORE, SearchIndex
from jobfeed.search.query import ParsedQuery
from jobfeed.search.titles import monthly_pay

ANY_TRADE = ""
ANYWHERE = "*"


class Match(NamedTuple):
    availability_id: str
    person: int


# How near a seeker's wished place is to a vacancy (``Fit.place``).
NEAR_CITY, NEAR_PROVINCE, NEAR_ANYWHERE, ELSEWHERE = 0, 1, 2, 3


class Fit(NamedTuple):
    """How one availability fits one vacancy: the trade that fits and its score, how near
    the place is, whether the pay and the date are met. ``exact``: an alert would go."""

    availability_id: str
    person: int
    trade: str  # "" : any trade
    score: float
    place: int  # NEAR_CITY .. ELSEWHERE
    pay: bool
    available: bool

    @property
    def exact(self) -> bool:
        return self.place < ELSEWHERE and self.pay and self.available

    def rank(self) -> tuple[bool, int, bool, float, int]:
        """Best first: exact fits, nearer places, pay met, higher trade scores."""
        return (not self.exact, self.place, not self.pay, -self.score, self.person)


@dataclass(slots=True)
class _Seeker:
    id: str
    person: int
    min_pay: int | None
    available_from: date
    trades: tuple[str, ...]
    places: tuple[str, ...]


@dataclass(slots=True)
class _Trade:
    text: str
    query: ParsedQuery | None  # None: any trade
    keys: frozenset[str]
    by_place: dict[str, dict[str, _Seeker]] = field(default_factory=dict)  # place -> id -> seeker


@dataclass(frozen=True, slots=True)
class VacancyView:
    """What matching needs of a vacancy, read once."""

    strings: scoring.TitleStrings
    concepts: frozenset[str]
    synsets: frozenset[int]
    keys: frozenset[str]
    places: tuple[str, ...]
    pay: int | None


class MatchIndex:
    def __init__(
        self, search: SearchIndex, *, min_score: float = MIN_SCORE, keep_stopped: bool = False
    ) -> None:
        """``search`` lends its parser, lexicon and places (its vacancies are not used);
        ``keep_stopped``: file availabilities whose alerts are off too (who fits a
        vacancy, for recruiters and reports, is not who is alerted)."""
        self._search = search
        self._keep_stopped = keep_stopped
        self._min_score = min_score
        self._seekers: dict[str, _Seeker] = {}
        self._trades: dict[str, _Trade] = {}
        self._postings: dict[str, set[str]] = defaultdict(set)  # key -> trade texts

    def __len__(self) -> int:
        return len(self._seekers)

    def __contains__(self, availability_id: object) -> bool:
        return availability_id in self._seekers

    # --- keeping it current -----------------------------------------------------------

    def upsert(self, availability: Availability) -> None:
        """File ``availability`` (replacing an older version); one with alerts off is left out."""
        self.remove(availability.id)
        if not availability.alerts and not self._keep_stopped:
            return
        seeker = _Seeker(
            id=availability.id,
            person=availability.person,
            min_pay=availability.min_pay,
            available_from=availability.available_from,
            trades=availability.trades or (ANY_TRADE,),
            places=tuple(p.key for p in availability.places) or (ANYWHERE,),
        )
        self._seekers[seeker.id] = seeker
        for text in seeker.trades:
            trade = self._trade(text)
            for place in seeker.places:
                trade.by_place.setdefault(place, {})[seeker.id] = seeker

    def remove(self, availability_id: str) -> bool:
        seeker = self._seekers.pop(availability_id, None)
        if seeker is None:
            return False
        for text in seeker.trades:
            trade = self._trades[text]
            for place in seeker.places:
                ids = trade.by_place.get(place)
                if ids is not None:
                    ids.pop(seeker.id, None)
                    if not ids:
                        del trade.by_place[place]
            if not trade.by_place:
                del self._trades[text]
                for key in trade.keys:
                    texts = self._postings[key]
                    texts.discard(text)
                    if not texts:
                        del self._postings[key]
        return True

    def clear(self) -> None:
        self._seekers.clear()
        self._trades.clear()
        self._postings.clear()

    def _trade(self, text: str) -> _Trade:
        trade = self._trades.get(text)
        if trade is not None:
            return trade
        if text == ANY_TRADE:
            trade = _Trade(text, None, frozenset({ANY_TRADE}))
        else:
            query = self._search.parser.parse(text)
            trade = _Trade(text, query, _query_keys(query))
        self._trades[text] = trade
        for key in trade.keys:
            self._postings[key].add(text)
        return trade

    # --- asking it --------------------------------------------------------------------

    def view(self, vacancy: Vacancy) -> VacancyView:
        text, concepts, synsets = self._search.title_terms(vacancy)
        codes, letters = pinyin.codes(text), pinyin.letters(text)
        keys = {f"c:{c}" for c in concepts}
        keys |= {f"h:{g}" for g in _grams(text, 2)}
        keys |= {f"s:{g}" for g in _grams(codes, 2)}
        keys |= {f"l:{g}" for g in _grams(letters, 3)}
        city, province, prefecture = self._search.locate(vacancy)
        places = [ANYWHERE, f"c|{province}|{city}"]
        if province:
            places.append(f"p|{province}")
        if prefecture and prefecture != city:
            places.append(f"c|{province}|{prefecture}")
        return VacancyView(
            strings=scoring.TitleStrings.of(text, codes, letters),
            concepts=concepts,
            synsets=synsets,
            keys=frozenset(keys),
            places=tuple(places),
            pay=monthly_pay(vacancy),
        )

    def match(self, vacancy: Vacancy, today: date) -> list[Match]:
        """Every person one of whose availabilities ``vacancy`` answers, once each."""
        view = self.view(vacancy)
        candidates = {ANY_TRADE} if ANY_TRADE in self._trades else set()
        for key in view.keys:
            posted = self._postings.get(key)
            if posted:
                candidates |= posted
        trades = [self._trades[t] for t in candidates]
        pay = view.pay
        found: dict[int, str] = {}  # person -> the availability that fits
        for trade in self._fitting(trades, view):
            for place in view.places:
                bucket = trade.by_place.get(place)
                if not bucket:
                    continue
                for seeker in bucket.values():  # the hot loop: _wants inlined
                    if seeker.person in found or seeker.available_from > today:
                        continue
                    least = seeker.min_pay
                    if least is None or (pay is not None and pay >= least):
                        found[seeker.person] = seeker.id
        return [Match(found[person], person) for person in sorted(found)]

    def fits(self, vacancy: Vacancy, today: date, *, elsewhere: int = 0) -> list[Fit]:
        """Every person whose trade fits ``vacancy`` and who wants to work where it is
        (whatever pay they ask), with how well (their best availability), best first; and
        up to ``elsewhere`` more whose trade fits but who want to work elsewhere (the
        nearest for the lists: reading all of those costs x25 a match)."""
        view = self.view(vacancy)
        nearness = _nearness(view.places)
        candidates = {ANY_TRADE} if ANY_TRADE in self._trades else set()
        for key in view.keys:
            candidates |= self._postings.get(key, set())
        best: dict[int, Fit] = {}
        left = elsewhere
        for text in candidates:
            trade = self._trades[text]
            score = 100.0 if trade.query is None else self.score(trade.query, view)
            if score < self._min_score:
                continue
            for place, bucket in trade.by_place.items():
                near = nearness.get(place, ELSEWHERE)
                if near == ELSEWHERE:
                    if left <= 0 or text == ANY_TRADE:
                        continue
                    left -= len(bucket)
                for seeker in bucket.values():
                    fit = Fit(
                        seeker.id,
                        seeker.person,
                        text,
                        score,
                        near,
                        _pays(seeker, view),
                        seeker.available_from <= today,
                    )
                    old = best.get(seeker.person)
                    if old is None or fit.rank() < old.rank():
                        best[seeker.person] = fit
        return sorted(best.values(), key=Fit.rank)

    def trade_fits(self, trade: str, title: str) -> bool:
        """Whether a trade as asked (``电焊工``) fits a title or another trade (``焊工``)."""
        probe = Vacancy(id="probe", title=title, employer="-", city="-", province="-")
        return self.score(self._search.parse(trade), self.view(probe)) >= self._min_score

    def _fitting(self, trades: list[_Trade], view: VacancyView) -> Iterator[_Trade]:
        scored = [t for t in trades if t.query is not None]
        yield from (t for t in trades if t.query is None)
        for trade in scored:
            assert trade.query is not None
            if self.score(trade.query, view) >= self._min_score:
                yield trade

    def score(self, query: ParsedQuery, view: VacancyView) -> float:
        text = scoring.text_scores(query, [view.strings])[0]
        return scoring.combine(text, query.concepts, query.synsets, view.concepts, view.synsets)

    def brute_force(
        self, availabilities: Iterable[Availability], vacancy: Vacancy, today: date
    ) -> list[Match]:
        """The same answer by looking at every availability (benchmark baseline, tests)."""
        view = self.view(vacancy)
        found: dict[int, Match] = {}
        for a in availabilities:
            if not a.alerts or a.person in found:
                continue
            places = {p.key for p in a.places} or {ANYWHERE}
            if not places & set(view.places):
                continue
            seeker = _Seeker(a.id, a.person, a.min_pay, a.available_from, (), ())
            if not _wants(seeker, view, today):
                continue
            queries = [self._search.parse(t) for t in a.trades]
            if queries and not any(self.score(q, view) >= self._min_score for q in queries):
                continue
            found[a.person] = Match(a.id, a.person)
        return sorted(found.values(), key=lambda m: m.person)


def _nearness(places: tuple[str, ...]) -> dict[str, int]:
    out: dict[str, int] = {}
    for key in places:
        if key == ANYWHERE:
            out[key] = NEAR_ANYWHERE
        elif key.startswith("p|"):
            out[key] = NEAR_PROVINCE
        else:
            out[key] = NEAR_CITY
    return out


def _pays(seeker: _Seeker, view: VacancyView) -> bool:
    return seeker.min_pay is None or (view.pay is not None and view.pay >= seeker.min_pay)


def _wants(seeker: _Seeker, view: VacancyView, today: date) -> bool:
    if seeker.available_from > today:
        return False
    return seeker.min_pay is None or (view.pay is not None and view.pay >= seeker.min_pay)


def _query_keys(query: ParsedQuery) -> frozenset[str]:
    keys = {f"c:{c}" for c in query.concepts}
    if query.latin:
        keys |= {f"l:{g}" for g in _grams(query.letters, 3)}
    else:
        keys |= {f"h:{g}" for g in _grams(query.core, 2)}
        keys |= {f"s:{g}" for g in _grams(query.codes, 2)}
    return frozenset(keys)


def _grams(text: str, size: int) -> set[str]:
    if len(text) <= size:
        return {text} if text else set()
    return {text[i : i + size] for i in range(len(text) - size + 1)}
