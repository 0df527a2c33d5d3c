"""The trade dictionary and the phrase lists of ``templates/lexicon``, and finding them in text.

The characters written for others (``Confusions``) and the list files' reader are in
``jobfeed.search.confusions``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from jobfeed.places import LEXICON_DIR
from jobfeed.search import pinyin
from jobfeed.search.confusions import SHAPE, SOUND, Confusions, read_lines, read_words
from jobfeed.search.normalise import is_cjk, normalise
from jobfeed.search.wishes import WishBook

__all__ = ["SHAPE", "SOUND", "Confusions", "Lexicon", "Span", "Term", "TermMatch"]

_LATIN_RUN = re.compile(r"[a-z0-9]+")
_GAP = "\x00"  # stands for the one character of a term that was written as another
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    concepts: frozenset[str]  # more than one for an ambiguous word (车工: lathe or sewing)
    synsets: frozenset[int]  # terms sharing a synset are near-synonyms
    weak: bool  # a head noun (司机) that names its concept only when nothing stronger does


@dataclass(frozen=True, slots=True)
class TermMatch:
    term: Term
    start: int
    end: int
    by_sound: bool  # found through pinyin (电汗工, dianhangong), not the characters
    loosely: bool = False  # only with merged sounds (zh/z, -ng/-n): 饲养 is not 实验
    # One character written for another (``Confusions``): 形近 (玉稠 for 玉雕) or 同音 (蛆床
    # for 车床); the text then reads as ``term.text``.
    tolerance: str | None = None

    @property
    def kind(self) -> str | None:
        """How the term was found, if not as written: 同音 or 形近."""
        return self.tolerance or (SOUND if self.by_sound else None)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int

    def overlaps(self, start: int, end: int) -> bool:
        return start < self.end and self.start < end


class Lexicon:
    """Trades, filler words, intent patterns and chatter cues; immutable once loaded."""

    def __init__(
        self,
        terms: Iterable[Term],
        fillers: Iterable[str],
        intent: Iterable[str],
        chatter: Iterable[str],
        *,
        confusions: Confusions | None = None,
        wishes: WishBook | None = None,
    ) -> None:
        self.confusions = confusions or Confusions({}, {})
        self.wishes = wishes or WishBook({}, {}, {})
        self._by_text: dict[str, Term] = {}
        self._by_code: dict[str, list[Term]] = defaultdict(list)
        self._by_letters: dict[str, list[Term]] = defaultdict(list)
        for term in terms:
            seen = self._by_text.get(term.text)
            # A word listed under several trades may mean any of them.
            self._by_text[term.text] = term if seen is None else _merge(seen, term)
        for term in self._by_text.values():
            code = pinyin.codes(term.text)
            # One syllable alone is too short to tell a typo from another word.
            if len(code) >= 2:
                self._by_code[code].append(term)
            self._by_letters[pinyin.letters(term.text)].append(term)
        # Each strong term with one character left out, for one character written for another.
        self._by_gap: dict[str, list[tuple[Term, int]]] = defaultdict(list)
        for term in self._by_text.values():
            if not term.weak and len(term.text) >= 2 and all(is_cjk(c) for c in term.text):
                for i in range(len(term.text)):
                    self._by_gap[term.text[:i] + _GAP + term.text[i + 1 :]].append((term, i))
        self.latin_words = frozenset(
            word for text in self._by_text for word in _LATIN_RUN.findall(text)
        )
        self._max_term = max(len(t) for t in self._by_text)
        self._prefixes = frozenset(t[:n] for t in self._by_text for n in range(1, len(t) + 1))
        self._max_code = max(len(c) for c in self._by_code)
        self._max_letters = max(len(c) for c in self._by_letters)
        self._fillers = frozenset(fillers)
        self._max_filler = max(len(f) for f in self._fillers)
        self._intent = re.compile("|".join(f"(?:{p})" for p in intent))
        chatter_words = sorted(chatter, key=len, reverse=True)
        self._chatter = re.compile("|".join(re.escape(w) for w in chatter_words))
        self.concepts = frozenset(c for t in self._by_text.values() for c in t.concepts)

    @classmethod
    def load(cls, directory: Path = LEXICON_DIR) -> Lexicon:
        return cls(
            _read_trades(directory / "trades.txt", directory / "descriptions.txt"),
            read_words(directory / "fillers.txt"),
            read_lines(directory / "intent.txt"),
            read_words(directory / "chatter.txt"),
            confusions=Confusions.load(directory),
            wishes=WishBook.load(directory),
        )

    def __len__(self) -> int:
        return len(self._by_text)

    def term(self, text: str) -> Term | None:
        return self._by_text.get(normalise(text))

    # --- finding trades ---------------------------------------------------------------------

    def find_terms(
        self, text: str, blocked: Sequence[Span] = (), by_sound: bool = True
    ) -> list[TermMatch]:
        """Trade terms in normalised ``text``, without overlaps, in text order.

        Chinese is matched by characters, Latin runs as pinyin (dianhangong, cnc); with
        ``by_sound`` also by syllables (电汗工, 服务园), where a two-syllable sound-alike counts
        only as a word of its own (月扫, but not 艺师 in 花艺师). Overlaps go as ``_select``
        says. Nothing is found inside a ``blocked`` span (a place name).
        """
        exact = self.exact_candidates(text)
        candidates = exact
        if by_sound:
            exact_spans = list(blocked) + [Span(m.start, m.end) for m in _select(exact, [])]
            words = self._words(text, exact_spans)
            # A swapped character may be a filler's (快的 for 快递): words as typed count too.
            typed = words | _typed_words(text, exact_spans)
            candidates = exact + [
                m
                for m in self._sound_candidates(text)
                if m.end - m.start > 2 or (m.start, m.end) in words
            ]
            candidates += [
                m
                for m in self._swap_candidates(text)
                if m.end - m.start > 2 or (m.start, m.end) in typed
            ]
        found = _select(candidates, list(blocked))
        found.sort(key=lambda m: m.start)
        return found

    def exact_candidates(self, text: str) -> list[TermMatch]:
        """Every occurrence of a term by its characters (or its pinyin in a Latin run),
        overlapping ones included."""
        out: list[TermMatch] = []
        prefixes = self._prefixes
        for run in _CJK_RUN.finditer(text):
            for start in range(run.start(), run.end()):
                stop = min(run.end(), start + self._max_term)
                for end in range(start + 1, stop + 1):
                    piece = text[start:end]
                    if piece not in prefixes:
                        break
                    term = self._by_text.get(piece)
                    if term is not None:
                        out.append(TermMatch(term, start, end, by_sound=False))
        for run in _LATIN_RUN.finditer(text):
            typed = run.group()
            edges = sorted(pinyin.boundaries(typed, self.latin_words))
            for n, i in enumerate(edges):
                for j in edges[n + 1 :]:
                    if j > i + self._max_letters:
                        break
                    for term in self._by_letters.get(typed[i:j], ()):
                        start, end = run.start() + i, run.start() + j
                        out.append(TermMatch(term, start, end, by_sound=False))
        return out

    def _sound_candidates(self, text: str) -> list[TermMatch]:
        out: list[TermMatch] = []
        char_codes = pinyin.char_codes(text)
        for run in _CJK_RUN.finditer(text):
            for start in range(run.start(), run.end() - 1):
                code = ""
                for end in range(start + 1, min(run.end(), start + self._max_code) + 1):
                    code += char_codes[end - 1]
                    for term in self._by_code.get(code, ()):
                        loose = pinyin.letters(text[start:end]) != pinyin.letters(term.text)
                        out.append(TermMatch(term, start, end, by_sound=True, loosely=loose))
        return out

    def _swap_candidates(self, text: str) -> list[TermMatch]:
        """Terms written with one character swapped for a look-alike or sound-alike (制荼,
        蛆床), where what was written is no word of its own (村里 stays a village)."""
        out: list[TermMatch] = []
        confusions = self.confusions
        for run in _CJK_RUN.finditer(text):
            for start in range(run.start(), run.end() - 1):
                for end in range(start + 2, min(run.end(), start + self._max_term) + 1):
                    written = text[start:end]
                    if written in self._by_text or written in confusions.words:
                        continue
                    for i in range(end - start):
                        key = written[:i] + _GAP + written[i + 1 :]
                        for term, at in self._by_gap.get(key, ()):
                            kind = confusions.kind(written[at], term.text[at])
                            if kind is not None:
                                out.append(
                                    TermMatch(term, start, end, by_sound=True, tolerance=kind)
                                )
        return out

    # --- the rest of a message --------------------------------------------------------------

    def strip_fillers(self, text: str, keep: Sequence[Span] = ()) -> str:
        """``text`` less filler words and spaces; the ``keep`` spans stay whole.

        Fillers of two characters or more go wherever they stand outside ``keep``; one
        character fillers only at the edges of what remains between kept spans and spaces.
        """
        dropped = self._filler_mask(text, keep)
        return "".join(c for c, drop in zip(text, dropped, strict=True) if not drop)

    def _words(self, text: str, keep: Sequence[Span]) -> set[tuple[int, int]]:
        """Spans of what is left between kept spans once fillers and spaces are gone."""
        dropped = self._filler_mask(text, keep)
        for span in keep:
            dropped[span.start : span.end] = [True] * (span.end - span.start)
        words = set()
        start = None
        for i, drop in enumerate([*dropped, True]):
            if not drop and start is None:
                start = i
            elif drop and start is not None:
                words.add((start, i))
                start = None
        return words

    def _filler_mask(self, text: str, keep: Sequence[Span]) -> list[bool]:
        """For each character of ``text``, whether it is a filler or a space."""
        dropped = [c.isspace() for c in text]
        kept = [False] * len(text)
        for span in keep:
            kept[span.start : span.end] = [True] * (span.end - span.start)
        stretches: list[tuple[int, int]] = []
        start = None
        for i, blocked in enumerate([*(k or d for k, d in zip(kept, dropped, strict=True)), True]):
            if not blocked and start is None:
                start = i
            elif blocked and start is not None:
                stretches.append((start, i))
                start = None
        for begin, end in stretches:
            i = begin
            while i < end:
                for size in range(min(self._max_filler, end - i), 1, -1):
                    if text[i : i + size] in self._fillers:
                        dropped[i : i + size] = [True] * size
                        i += size
                        break
                else:
                    i += 1
            self._drop_edges(text, dropped, begin, end)
        return dropped

    def _drop_edges(self, text: str, dropped: list[bool], begin: int, end: int) -> None:
        """Drop one-character fillers at both ends of each word left in ``text[begin:end]``."""
        i = begin
        while i < end:
            if dropped[i]:
                i += 1
                continue
            j = i
            while j < end and not dropped[j]:
                j += 1
            left, right = i, j
            while left < right and text[left] in self._fillers:
                dropped[left] = True
                left += 1
            while right > left and text[right - 1] in self._fillers:
                dropped[right - 1] = True
                right -= 1
            i = j

    def has_intent(self, text: str) -> bool:
        return self._intent.search(text) is not None

    def has_chatter(self, text: str) -> bool:
        return self._chatter.search(text) is not None


def _typed_words(text: str, keep: Sequence[Span]) -> set[tuple[int, int]]:
    """Spans of the runs between spaces and kept spans."""
    cut = [c.isspace() for c in text]
    for span in keep:
        cut[span.start : span.end] = [True] * (span.end - span.start)
    words = set()
    start = None
    for i, blocked in enumerate([*cut, True]):
        if not blocked and start is None:
            start = i
        elif blocked and start is not None:
            words.add((start, i))
            start = None
    return words


def _merge(one: Term, other: Term) -> Term:
    return Term(
        one.text,
        one.concepts | other.concepts,
        one.synsets | other.synsets,
        one.weak and other.weak,
    )


def _select(candidates: list[TermMatch], taken: list[Span]) -> list[TermMatch]:
    """Candidates that overlap nothing taken so far: trade words before head nouns (线束 in
    装配线束, not 装配线), then the longest (钢筋帮扎 as 钢筋绑扎, not 钢筋), then exact
    characters before sound-alikes, exact pinyin before merged sounds, then the leftmost."""
    chosen = []
    ranked = sorted(
        candidates,
        key=lambda m: (
            m.term.weak,
            m.start - m.end,
            m.by_sound,
            m.tolerance is not None,
            m.loosely,
            m.start,
        ),
    )
    for match in ranked:
        if not any(span.overlaps(match.start, match.end) for span in taken):
            chosen.append(match)
            taken.append(Span(match.start, match.end))
    return chosen


def concepts_of(matches: Iterable[TermMatch]) -> tuple[frozenset[str], frozenset[int]]:
    """Concepts and synsets that ``matches`` name; weak terms count only without strong ones."""
    matches = list(matches)
    strong = [m for m in matches if not m.term.weak]
    named = strong or matches
    concepts = frozenset(c for m in named for c in m.term.concepts)
    return concepts, frozenset(s for m in named for s in m.term.synsets)


def _read_trades(*paths: Path) -> list[Term]:
    """Parse ``concept: term term | term ...`` lines; indented lines continue the one above."""
    entries: list[tuple[str, str]] = []
    for line in (line for path in paths for line in read_lines(path)):
        if line[0].isspace() and entries:
            concept, body = entries[-1]
            entries[-1] = (concept, f"{body} {line}")
        else:
            concept, _, body = line.partition(":")
            entries.append((concept.strip(), body))
    terms: list[Term] = []
    synset = 0
    for concept, body in entries:
        for group in body.split("|"):
            synset += 1
            for word in group.split():
                weak = word.startswith("~")
                text = normalise(word.removeprefix("~"))
                if text and (len(text) >= 2 or not is_cjk(text)):
                    terms.append(Term(text, frozenset([concept]), frozenset([synset]), weak))
    return terms
