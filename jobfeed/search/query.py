"""What a job seeker's message asks for: the trade, the place, and whether it asks at all."""

from __future__ import annotations

import re
from dataclasses import dataclass

from jobfeed.places import Place, PlaceLevel, Places
from jobfeed.search import pinyin
from jobfeed.search.lexicon import Lexicon, Span, TermMatch, concepts_of
from jobfeed.search.normalise import is_cjk, normalise
from jobfeed.search.wishes import Wishes

# /jobs 电焊工, /search@ZhaopinBot 保安
_COMMAND = re.compile(r"^\s*/(\w+)(?:@\w+)?\s*")
# A message naming a trade but saying this much else besides is talk, not a query.
_MAX_OTHER_CHARS = 4
# Seekers ask in a few words; a longer message, or one with a phone number, is talk or a
# recruiter's advertisement. Only the start of a very long message is read at all.
MAX_QUERY_CHARS = 50
_READ_CHARS = 200
_PHONE = re.compile(r"\d{7,}")
# How job nouns end (制作工, 操作员, 技师, 师傅, 木匠, 育儿嫂, 绣娘, 舵手, 班长, 手艺人,
# 大姐, 学生, 专家), by sound, so that typos (电焊公, 玉雕施) and pinyin (xiangxiugong) count.
_NOUN_ENDS = (
    *("gong", "yuan", "shi", "fu", "jiang", "sao", "niang", "shou", "zhang", "ren"),
    *("jie", "ge", "sheng", "jia"),
)
_VOWEL_RUNS = re.compile(r"[aeiouv]+")
_LATIN_GAP = re.compile(r"(?<=[a-z]) (?=[a-z])")
_PLUS = re.compile(r"(?<=[0-9kK千万])\s*[+＋]")


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    text: str  # as typed
    normalised: str
    core: str  # what is left to match against titles: trade words and unknown words
    codes: str  # ``core`` by sound (see ``pinyin.codes``)
    letters: str  # ``core`` as pinyin letters
    latin: bool  # the core was typed in Latin letters (pinyin)
    place: Place | None
    concepts: frozenset[str]
    synsets: frozenset[int]
    terms: tuple[str, ...]  # the trade terms found, for logs and hints
    strong: bool  # a specific trade term was found, not only a head noun such as 司机
    tolerances: frozenset[str]  # how trade terms were found when not as written: 同音, 形近
    wishes: Wishes  # pay, benefits, shifts; the seeker's gender and age
    other: str  # text that is neither trade, place nor filler
    after: str  # the part of ``other`` after the last trade term
    intent: bool  # worded as a job query (招…吗, 有没有…的活, 求一份…)
    chatter: bool  # has small-talk cues (辛苦了, 谢谢)
    command: str | None

    @property
    def empty(self) -> bool:
        return not self.core and self.place is None and not self.wishes

    def looks_like_job_query(self) -> bool:
        """Whether a group message asks for jobs, judged from its wording alone."""
        if not self.normalised or len(self.normalised) > MAX_QUERY_CHARS:
            return False
        if _PHONE.search(self.normalised):
            return False
        # A wish alone counts too: 包吃住的, 日结的活.
        wish_only = bool(self.wishes) and not self.other and not self.chatter
        if self.command is not None or self.intent or wish_only:
            return True
        if not self.concepts or self.chatter:
            return False
        # Chinese puts modifiers before the noun (毛绒玩具缝纫工), so words after the trade
        # are a predicate (服务员态度不好, 快递在哪拿) unless they end a job noun (黑茶制作工).
        if self.after and not _ends_a_noun(self.after):
            return False
        # A head noun alone (司机, 工厂) is a query only when little else is said.
        allowed = _MAX_OTHER_CHARS if self.strong else 1
        return _size(self.other) <= allowed


class QueryParser:
    def __init__(self, lexicon: Lexicon, places: Places) -> None:
        self.lexicon = lexicon
        self.places = places

    def parse(self, text: str) -> ParsedQuery:
        command = None
        if found := _COMMAND.match(text):
            command = found.group(1).lower()
            text_body = text[found.end() :]
        else:
            text_body = text
        # Pinyin typed with spaces (dian han gong) is matched as one word.
        # 7000+ says 以上, but normalising drops the plus.
        body = _PLUS.sub("以上", text_body[:_READ_CHARS])
        whole = _LATIN_GAP.sub("", normalise(body))
        wishes = self.lexicon.wishes.read_query(whole)
        # What the wishes took is blank to the rest: 8000以上 names no trade, 女工 neither.
        norm = _mask(whole, [Span(start, end) for start, end in wishes.spans])
        place, place_spans, terms = self._place_and_terms(norm)
        keep = [Span(m.start, m.end) for m in terms]
        core = self.lexicon.strip_fillers(_mask(_corrected(norm, terms), place_spans), keep)
        other = self.lexicon.strip_fillers(_mask(norm, place_spans + keep))
        tail = max((m.end for m in terms), default=len(norm))
        after = self.lexicon.strip_fillers(_mask(norm, place_spans)[tail:])
        concepts, synsets = concepts_of(terms)
        latin = bool(core) and core.isascii() and any(c.isalpha() for c in core)
        return ParsedQuery(
            text=text,
            normalised=whole,
            core=core,
            codes=pinyin.codes(core) if core else "",
            letters=pinyin.letters(core) if core else "",
            latin=latin,
            place=place,
            concepts=concepts,
            synsets=synsets,
            terms=tuple(norm[m.start : m.end] for m in terms),
            strong=any(not m.term.weak for m in terms),
            tolerances=frozenset(k for m in terms if (k := m.kind) is not None),
            wishes=wishes,
            other=other,
            after=after,
            intent=self.lexicon.has_intent(whole),
            chatter=self.lexicon.has_chatter(_mask(norm, keep)),
            command=command,
        )

    def _place_and_terms(self, norm: str) -> tuple[Place | None, list[Span], list[TermMatch]]:
        match = self.places.find_in(norm)
        # A trade term longer than the place it overlaps wins (a place inside a trade name),
        # and one as long as a county's name (安保 over 和安 in 安装工和安保).
        if match is not None:
            for cand in self.lexicon.exact_candidates(norm):
                overlaps = cand.start < match.end and match.start < cand.end
                longer = cand.end - cand.start - (match.end - match.start)
                county = match.place.level >= PlaceLevel.county
                if overlaps and (longer > 0 or (longer == 0 and county)):
                    match = self.places.find_in(_mask(norm, [Span(cand.start, cand.end)]))
                    break
        if match is None:
            return None, [], self.lexicon.find_terms(norm)
        spans = [
            Span(m.start, m.end)
            for m in self.places.find_all(norm)
            if m.place.province == match.place.province or m.place.level is PlaceLevel.province
        ]
        spans = spans or [Span(match.start, match.end)]
        terms = self.lexicon.find_terms(norm, blocked=spans)
        if not terms and match.place.level >= PlaceLevel.county and self._only_place(norm, spans):
            # 宝安 alone is a typo for 保安 far more often than a search for 宝安区 at large.
            by_sound = self.lexicon.find_terms(norm)
            if by_sound and all(m.by_sound for m in by_sound):
                return None, [], by_sound
        return match.place, spans, terms

    def _only_place(self, norm: str, spans: list[Span]) -> bool:
        return not self.lexicon.strip_fillers(_mask(norm, spans)) and len(spans) == 1


def _corrected(text: str, terms: list[TermMatch]) -> str:
    """``text`` with each term written with a swapped character as the term reads."""
    for m in terms:
        if m.tolerance is not None:
            text = text[: m.start] + m.term.text + text[m.end :]
    return text


def _mask(text: str, spans: list[Span]) -> str:
    """``text`` with the spans blanked out, positions unchanged."""
    chars = list(text)
    for span in spans:
        chars[span.start : span.end] = " " * (span.end - span.start)
    return "".join(chars)


def _ends_a_noun(text: str) -> bool:
    last = pinyin.syllables(text[-1])[-1] if is_cjk(text[-1]) else text
    return any(last.endswith(end) for end in _NOUN_ENDS)


def _size(text: str) -> int:
    """Length in characters, pinyin counted by syllables (a run of vowels each): lajiao → 2."""
    return sum(1 for c in text if is_cjk(c)) + len(_VOWEL_RUNS.findall(text))
