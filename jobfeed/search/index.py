"""The in-memory search index over open vacancies. Pure: no I/O; the clock comes in as ``now``.

Vacancies are grouped by title (a feed repeats a few hundred titles over thousands of
vacancies). A query is scored against the titles that an inverted index of character
bigrams, syllable bigrams, pinyin trigrams and trade concepts turns up, never against all
of them, so latency follows the number of similar titles, not the size of the feed.

Its tables are in ``jobfeed.search.titles``, what it answers in ``jobfeed.search.results``.
Over 400 lines on purpose: ``SearchIndex`` is one class whose upkeep (build, upsert,
expire) and ranking (titles, places, wishes) read and keep the same private tables and
caches; a ranking module apart would have to reach into them.
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime
from functools import cache

from jobfeed.models import Vacancy, utcnow
from jobfeed.places import Place, PlaceLevel, Places
from jobfeed.search import pinyin, scoring
from jobfeed.search.lexicon import Lexicon, Span, TermMatch, concepts_of
from jobfeed.search.normalise import normalise_title
from jobfeed.search.query import ParsedQuery, QueryParser
from jobfeed.search.results import Matched, SearchHit, SearchResult
from jobfeed.search.titles import (
    Entry,
    Title,
    Wished,
    fingerprint_of,
    in_places,
    monthly_pay,
    pays_at_least,
    place_tier,
    title_grams,
    without_names,
)
from jobfeed.search.wishes import Offer, Wishes, pays

__all__ = ["NEARBY", "Matched", "SearchHit", "SearchIndex", "SearchResult"]

MIN_SCORE = 70.0  # below this a title is not an answer: the UI says 没有找到
PLACE_ONLY_SCORE = 50.0  # 天津有活吗: every vacancy in the place, newest first
JOB_QUERY_TITLE_SCORE = 90.0  # an unknown word this close to a title is a trade name
MAX_GRAM_CANDIDATES = 400
_TITLE_CACHE = 100_000  # raw titles whose stripped form is remembered (feeds repeat them)
_PARSE_CACHE_CHARS = 200  # the parser reads no further
# Figures in titles with what they count (20名, 8000元, 18 45岁); not in a2驾照 or co2焊.
_NUMBERS = re.compile(r"(?<![a-z])\d[\d ]*(?: ?(?:名|人|位|个|元|块|起|k|w|千|万|岁|天|月|号))*")


NEARBY = "地点附近"  # the hit is not in the place asked for, but the nearest there is


@cache
def default_lexicon() -> Lexicon:
    return Lexicon.load()


@cache
def default_places() -> Places:
    return Places.load()


class SearchIndex:
    def __init__(
        self,
        lexicon: Lexicon | None = None,
        places: Places | None = None,
        *,
        min_score: float = MIN_SCORE,
        parse_cache: int = 0,
    ) -> None:
        """``parse_cache``: how many parsed messages to remember. A bot parses every group
        message to tell queries from chatter, and chatter repeats (早上好, 收到, 谢谢)."""
        self.lexicon = lexicon or default_lexicon()
        self.places = places or default_places()
        self.parser = QueryParser(self.lexicon, self.places)
        self.min_score = min_score
        self.parse_cache = parse_cache
        self._titles: dict[int, Title] = {}
        self._title_ids: dict[str, int] = {}
        self._entries: dict[str, Entry] = {}
        self._postings: dict[str, set[int]] = defaultdict(set)
        self._expiry: list[tuple[float, str]] = []
        self._title_seq = itertools.count()
        self._where: dict[tuple[str, str], tuple[str, str, str | None]] = {}
        self._title_texts: dict[str, tuple[str, list[TermMatch]]] = {}
        self._parsed: dict[str, ParsedQuery] = {}
        self._offers: dict[Offer, Offer] = {}
        self._title_cores: dict[str, tuple[str, list[TermMatch]]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, vacancy_id: object) -> bool:
        return vacancy_id in self._entries

    @property
    def title_count(self) -> int:
        return len(self._titles)

    # --- keeping it current -----------------------------------------------------------------

    def build(self, vacancies: Iterable[Vacancy], now: datetime | None = None) -> None:
        """Replace the contents with the open ones of ``vacancies``."""
        self._titles.clear()
        self._title_ids.clear()
        self._entries.clear()
        self._postings.clear()
        self._expiry.clear()
        now = now or utcnow()
        for vacancy in vacancies:
            self.upsert(vacancy, now)

    def upsert(self, vacancy: Vacancy, now: datetime | None = None) -> bool:
        """Index ``vacancy`` (replacing an older version); True if it is open and indexed."""
        self.remove(vacancy.id)
        if not vacancy.is_open(now):
            return False
        title = self._title_for(without_names(vacancy.title, vacancy.employer, vacancy.brand))
        city, province, prefecture = self._locate(vacancy.city, vacancy.province)
        expires = vacancy.expires_at.timestamp() if vacancy.expires_at else None
        pay = monthly_pay(vacancy)
        offer = self.lexicon.wishes.read_offer(
            vacancy.benefits, vacancy.title, vacancy.description, vacancy.requirements
        )
        offer = self._offers.setdefault(offer, offer)  # a few hundred distinct ones
        entry = Entry(
            id=vacancy.id,
            title=vacancy.title,
            title_id=title.id,
            city=city,
            province=province,
            prefecture=prefecture,
            posted=vacancy.posted_at.timestamp(),
            expires=expires,
            pay=pay,
            offer=offer,
            fingerprint=fingerprint_of(vacancy),
        )
        self._entries[entry.id] = entry
        title.entries[entry.id] = entry
        title.by_city.setdefault(city, {})[entry.id] = entry
        title.newest_first = None
        if expires is not None:
            heapq.heappush(self._expiry, (expires, entry.id))
        return True

    def is_current(self, vacancy: Vacancy, now: datetime | None = None) -> bool:
        """Whether the index already holds ``vacancy`` as it is (or rightly lacks it)."""
        entry = self._entries.get(vacancy.id)
        if entry is None:
            return not vacancy.is_open(now)
        return entry.fingerprint == fingerprint_of(vacancy) and vacancy.is_open(now)

    def ids(self) -> set[str]:
        return set(self._entries)

    def remove(self, vacancy_id: str) -> bool:
        entry = self._entries.pop(vacancy_id, None)
        if entry is None:
            return False
        title = self._titles[entry.title_id]
        del title.entries[vacancy_id]
        bucket = title.by_city[entry.city]
        del bucket[vacancy_id]
        if not bucket:
            del title.by_city[entry.city]
        title.newest_first = None
        if not title.entries:
            del self._titles[title.id]
            del self._title_ids[title.text]
            for key in title.keys:
                ids = self._postings[key]
                ids.discard(title.id)
                if not ids:
                    del self._postings[key]
        return True

    def expire(self, now: datetime | None = None) -> int:
        """Drop vacancies whose ``expires_at`` has passed; returns how many."""
        cutoff = (now or utcnow()).timestamp()
        dropped = 0
        while self._expiry and self._expiry[0][0] <= cutoff:
            expires, vacancy_id = heapq.heappop(self._expiry)
            entry = self._entries.get(vacancy_id)
            # The heap keeps stale items for vacancies since updated or removed.
            if entry is not None and entry.expires == expires:
                self.remove(vacancy_id)
                dropped += 1
        return dropped

    def _title_for(self, raw: str) -> Title:
        text, matches = self._title_text(raw)
        title_id = self._title_ids.get(text)
        if title_id is not None:
            return self._titles[title_id]
        concepts, synsets = concepts_of(matches)
        codes = pinyin.codes(text)
        letters = pinyin.letters(text)
        keys = {f"c:{c}" for c in concepts}
        keys |= {f"h:{g}" for g in title_grams(text, 2)}
        keys |= {f"s:{g}" for g in title_grams(codes, 2)}
        keys |= {f"l:{g}" for g in title_grams(letters, 3)}
        strings = scoring.TitleStrings.of(text, codes, letters)
        title = Title(next(self._title_seq), text, strings, concepts, synsets, frozenset(keys))
        self._titles[title.id] = title
        self._title_ids[text] = title.id
        for key in title.keys:
            self._postings[key].add(title.id)
        return title

    def _title_text(self, raw: str) -> tuple[str, list[TermMatch]]:
        """The title less a leading place name and filler words, and its trade terms."""
        found = self._title_texts.get(raw)
        if found is None:
            if len(self._title_texts) >= _TITLE_CACHE:
                self._title_texts.clear()
            found = self._title_texts[raw] = self._strip_title(raw)
        return found

    def _strip_title(self, raw: str) -> tuple[str, list[TermMatch]]:
        # Pay, headcounts and conditions (20名, 月薪8000, 包吃住) say nothing of the trade.
        text = _NUMBERS.sub(" ", self.lexicon.wishes.blank_out(normalise_title(raw))).strip()
        found = self._title_cores.get(text)
        if found is None:
            if len(self._title_cores) >= _TITLE_CACHE:
                self._title_cores.clear()
            found = self._title_cores[text] = self._title_core(text or normalise_title(raw))
        return found

    def _title_core(self, text: str) -> tuple[str, list[TermMatch]]:
        places = self.places.find_all(text)
        if places and places[0].start == 0 and places[0].end < len(text):
            text = text[places[0].end :].strip()
        matches = self.lexicon.find_terms(text, by_sound=False)
        kept = [Span(m.start, m.end) for m in matches]
        core = self.lexicon.strip_fillers(text, kept)
        if core and core != text:
            matches = self.lexicon.find_terms(core, by_sound=False)
        return core or text, matches

    def _locate(self, city: str, province: str) -> tuple[str, str, str | None]:
        found = self._where.get((city, province))
        if found is None:
            short_city, short_province = self.places.normalise(city, province)
            place = self.places.get(short_city, short_province)
            found = (short_city, short_province, place.city if place else None)
            self._where[(city, province)] = found
        return found

    def title_terms(self, vacancy: Vacancy) -> tuple[str, frozenset[str], frozenset[int]]:
        """The vacancy's title as the index reads it (place prefix, pay, fillers and the
        employer's name gone): its text, concepts and synsets. Changes nothing."""
        text, matches = self._title_text(
            without_names(vacancy.title, vacancy.employer, vacancy.brand)
        )
        concepts, synsets = concepts_of(matches)
        return text, concepts, synsets

    def locate(self, vacancy: Vacancy) -> tuple[str, str, str | None]:
        """Where the vacancy is as the index files it: city, province, prefecture."""
        return self._locate(vacancy.city, vacancy.province)

    # --- asking it --------------------------------------------------------------------------

    def parse(self, text: str) -> ParsedQuery:
        if not self.parse_cache or len(text) > _PARSE_CACHE_CHARS:
            return self.parser.parse(text)
        found = self._parsed.get(text)
        if found is None:
            if len(self._parsed) >= self.parse_cache:
                self._parsed.clear()
            found = self._parsed[text] = self.parser.parse(text)
        return found

    def is_job_query(self, text: str) -> bool:
        """Whether a group message asks for a job (电焊工 天津, 有没有保安的活) or is chatter."""
        query = self.parse(text)
        if query.looks_like_job_query():
            return True
        if query.intent or query.chatter or query.concepts or not query.core:
            return False
        # A trade the lexicon lacks but the feed has, typed on its own (黑茶制作工).
        if len(query.core) > 10:
            return False
        best = max((s for s, _ in self._match_titles(query, scored_text_only=True)), default=0)
        return best >= JOB_QUERY_TITLE_SCORE

    def search(
        self,
        text: str,
        limit: int = 3,
        offset: int = 0,
        *,
        city: str | None = None,
        min_pay: int | None = None,
        now: datetime | None = None,
    ) -> SearchResult:
        """Open vacancies answering ``text``, best first.

        A place in the text (or else ``city``) restricts the hits to that place when it has
        any; otherwise hits come from elsewhere, nearest province first, and ``in_place`` is
        False. ``min_pay`` is monthly CNY (day rates count 26 days, hourly 208 hours) and
        drops vacancies without a stated pay.
        """
        self.expire(now)
        query = self.parse(text)
        place = query.place or (self._place_for(city) if city else None)
        wishes = query.wishes
        if query.core:
            matched = self._match_titles(query)
        elif place is not None or wishes:
            matched = [(PLACE_ONLY_SCORE, t) for t in self._titles.values()]
        else:
            matched = []
        need = offset + limit
        if wishes or wishes.facts:
            return self._search_wishes(
                query=query,
                place=place,
                matched=matched,
                offset=offset,
                need=need,
                min_pay=min_pay,
            )
        if place is None:
            total, ranked = self._rank_anywhere(matched, need, min_pay)
            in_place = True
        else:
            total, ranked, in_place = self._rank_in(place, matched, need, min_pay)
        hits = [
            self._hit(query, place, score, e, 0 if in_place else 2)
            for score, e in ranked[offset:need]
        ]
        return SearchResult(hits, total, query, place, in_place)

    def _search_wishes(
        self,
        *,
        query: ParsedQuery,
        place: Place | None,
        matched: list[tuple[float, Title]],
        offset: int,
        need: int,
        min_pay: int | None,
    ) -> SearchResult:
        """Vacancies admitting the seeker, those meeting every wish first, then those meeting
        most; within that as without wishes (place, score, newest)."""
        wishes = query.wishes
        in_place = True
        if place is not None:
            names = [place.name]
            if place.level is PlaceLevel.prefecture:
                names += [p.name for p in self.places.children(place)]
            found = self._wished(
                wishes=wishes,
                place=place,
                matched=matched,
                need=need,
                min_pay=min_pay,
                names=names,
            )
            in_place = bool(found.ranked)
        if not in_place or place is None:
            found = self._wished(
                wishes=wishes, place=place, matched=matched, need=need, min_pay=min_pay, names=None
            )
        ranked = heapq.nsmallest(need, found.ranked)
        names_ = wishes.names()
        unmet = tuple(n for n in names_ if n not in found.met)
        best_pay = found.best_pay if wishes.min_pay is not None and names_[0] in unmet else None
        hits = [self._hit(query, place, -k[4], k[-1], k[2]) for k in ranked[offset:]]
        return SearchResult(hits, found.total, query, place, in_place, unmet, best_pay)

    def _wished(
        self,
        *,
        wishes: Wishes,
        place: Place | None,
        matched: list[tuple[float, Title]],
        need: int,
        min_pay: int | None,
        names: list[str] | None,
    ) -> Wished:
        """Candidates for ``_search_wishes`` in ``names`` (None: anywhere), best first once
        sorted. When the total is the number of entries (no facts to check, no filter), a
        title is looked at only until ``need`` of its vacancies (newest first) meet every
        wish, and titles no longer once a higher-scoring one had that many."""
        out = Wished()
        judged: dict[int, tuple[bool, int, int, list[str]]] = {}  # per interned offer
        countable = not wishes.facts and min_pay is None and names is None
        pay_name = [f"{wishes.min_pay}以上"] if wishes.min_pay is not None else []
        perfect = 0
        for n, (score, title) in enumerate(matched):
            if countable and perfect >= need and score < matched[n - 1][0]:
                out.total += sum(len(t.entries) for _, t in matched[n:])
                break
            if countable:
                out.total += len(title.entries)
            in_title = 0
            for entry in in_places(title, place, names):
                offer = entry.offer
                verdict = judged.get(id(offer))
                if verdict is None:
                    missed, unpreferred = offer.unmet(wishes)
                    verdict = (offer.admits(wishes), missed, unpreferred, offer.met(wishes))
                    judged[id(offer)] = verdict
                if not verdict[0] or not pays_at_least(entry, min_pay):
                    continue
                tier = 0 if place is None else place_tier(place, entry)
                if names is not None and tier > 1:
                    continue
                paid = pays(wishes, entry.pay)
                missed = verdict[1] + (not paid)
                out.met.update(verdict[3])
                if paid:
                    out.met.update(pay_name)
                elif entry.pay is not None and (out.best_pay is None or entry.pay > out.best_pay):
                    out.best_pay = entry.pay
                # Short of the pay wished for, the nearest pay first (没有8000以上的，最高7500).
                short = 0 if paid else (wishes.min_pay or 0) - (entry.pay or 0)
                out.ranked.append(
                    (missed, verdict[2], tier, short, -score, -entry.posted, entry.id, entry)
                )
                if not countable:
                    out.total += 1
                if missed == verdict[2] == tier == 0:
                    perfect += 1
                    in_title += 1
                    if countable and in_title >= need:
                        break
        return out

    def _hit(
        self, query: ParsedQuery, place: Place | None, score: float, entry: Entry, tier: int
    ) -> SearchHit:
        tolerances = sorted(query.tolerances)
        if place is not None and tier > 0:
            tolerances.append(NEARBY)
        wishes = query.wishes
        pay = [f"{wishes.min_pay}以上"] if wishes.min_pay and pays(wishes, entry.pay) else []
        matched = Matched(
            trade=self._titles[entry.title_id].text if query.core else "",
            place=entry.city if place is not None else None,
            wishes=(*pay, *entry.offer.met(wishes)),
            tolerances=tuple(tolerances),
        )
        return SearchHit(entry.id, round(score, 1), entry.title, entry.city, matched)

    def popular(self, limit: int = 5, city: str | None = None) -> list[tuple[str, int]]:
        """The titles with the most open vacancies (in ``city`` and its counties if given),
        for the hint after 没有找到: ``[("普工", 120), ("保安", 96), ...]``."""
        place = self._place_for(city) if city else None
        counts = []
        for title in self._titles.values():
            if place is None:
                count = len(title.entries)
            else:
                count = sum(place_tier(place, e) <= 1 for e in title.entries.values())
            if count:
                counts.append((title.text, count))
        return heapq.nsmallest(limit, counts, key=lambda tc: (-tc[1], tc[0]))

    def _place_for(self, city: str) -> Place:
        name, province = self.places.normalise(city)
        found = self.places.get(name, province)
        if found is not None:
            return found
        # A place the table lacks still filters by its name.
        return Place(name, city, PlaceLevel.county, province, None, "")

    def _match_titles(
        self, query: ParsedQuery, scored_text_only: bool = False
    ) -> list[tuple[float, Title]]:
        titles = list(self._candidates(query))
        if not titles:
            return []
        texts = scoring.text_scores(query, [t.strings for t in titles])
        if scored_text_only:
            return sorted(zip(texts, titles, strict=True), key=lambda st: (-st[0], st[1].id))
        matched = []
        for text, title in zip(texts, titles, strict=True):
            score = scoring.combine(
                text, query.concepts, query.synsets, title.concepts, title.synsets
            )
            if score >= self.min_score:
                matched.append((score, title))
        matched.sort(key=lambda st: (-st[0], st[1].id))
        return matched

    def _candidates(self, query: ParsedQuery) -> Iterator[Title]:
        if query.latin:
            grams = {f"l:{g}" for g in title_grams(query.letters, 3)}
        else:
            grams = {f"h:{g}" for g in title_grams(query.core, 2)}
            grams |= {f"s:{g}" for g in title_grams(query.codes, 2)}
        counts: Counter[int] = Counter()
        for gram in grams:
            ids = self._postings.get(gram)
            if ids:
                counts.update(ids)
        chosen = {title_id for title_id, _ in counts.most_common(MAX_GRAM_CANDIDATES)}
        for concept in query.concepts:
            chosen |= self._postings.get(f"c:{concept}", set())
        return (self._titles[i] for i in chosen)

    def _rank_anywhere(
        self, matched: list[tuple[float, Title]], need: int, min_pay: int | None
    ) -> tuple[int, list[tuple[float, Entry]]]:
        total = 0
        picked: list[tuple[float, Entry]] = []
        enough_at: float | None = None  # titles scoring below this cannot reach the first page
        for score, title in matched:
            wanted = need if enough_at is None or score >= enough_at else 0
            if min_pay is None:
                total += len(title.entries)
                picked.extend((score, e) for e in title.sorted_entries()[:wanted])
            else:
                for entry in title.sorted_entries():
                    if pays_at_least(entry, min_pay):
                        total += 1
                        if wanted:
                            picked.append((score, entry))
                            wanted -= 1
            if enough_at is None and len(picked) >= need:
                enough_at = score
        picked.sort(key=lambda se: (-se[0], -se[1].posted, se[1].id))
        return total, picked

    def _rank_in(
        self, place: Place, matched: list[tuple[float, Title]], need: int, min_pay: int | None
    ) -> tuple[int, list[tuple[float, Entry]], bool]:
        names = [place.name]
        if place.level is PlaceLevel.prefecture:
            names += [p.name for p in self.places.children(place)]
        near: list[tuple[int, float, Entry]] = []
        for score, title in matched:
            if place.level is PlaceLevel.province:
                entries: Iterable[Entry] = title.entries.values()
            else:
                entries = (e for n in names for e in title.by_city.get(n, {}).values())
            for entry in entries:
                tier = place_tier(place, entry)
                if tier <= 1 and pays_at_least(entry, min_pay):
                    near.append((tier, score, entry))
        in_place = bool(near)
        if not in_place:
            near = [
                (place_tier(place, e), score, e)
                for score, title in matched
                for e in title.entries.values()
                if pays_at_least(e, min_pay)
            ]
        best = heapq.nsmallest(need, near, key=lambda t: (t[0], -t[1], -t[2].posted, t[2].id))
        return len(near), [(score, entry) for _, score, entry in best], in_place
