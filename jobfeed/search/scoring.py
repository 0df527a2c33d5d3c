"""How well a vacancy title answers a parsed query, 0–100.

Two signals: the trade (same concept of the lexicon, or a conflicting one) and string
similarity. The string scorer was chosen by measuring on ``samples/queries.jsonl`` (see
``tests/search/test_quality.py::test_scorer_choice``): rapidfuzz's ``WRatio`` and ``ratio``
score 电工 vs 电解工 at 80 because the shorter string is a subsequence of the longer, and
``partial_ratio`` alone scores 家政服务员 vs 服务员 at 100. A query inside a longer title is a
specialisation (焊工 in 氩弧焊工) and scores by ``partial_ratio``; a title shorter than the
query by ``ratio``. ``partial_ratio`` also tries the title's ends against shorter pieces of
the query (摄影师 vs 育婴师 scores 80 through 影师/婴师), so titles are padded: a query must
align over its whole length.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from jobfeed.search.query import ParsedQuery

SAME_SYNSET = 95.0  # 挖机 vs 挖掘机司机
SAME_CONCEPT = 85.0  # 挖机 vs 装载机司机
CONFLICT_FACTOR = 0.6  # 司机 vs 叉车司机: a different trade that merely shares words
SOUND_FACTOR = 0.95  # a match by sound ranks just below the same match by characters
_PAD = "\x00"  # never in normalised text
PAD_WIDTH = 15  # titles are stored padded this wide; longer queries are padded one by one


@dataclass(frozen=True, slots=True)
class TitleStrings:
    """A title's three views, each also padded for ``partial_ratio`` (see ``similarity``)."""

    text: str
    codes: str
    letters: str
    padded_text: str
    padded_codes: str
    padded_letters: str

    @classmethod
    def of(cls, text: str, codes: str, letters: str) -> TitleStrings:
        pad = _PAD * PAD_WIDTH
        return cls(
            text, codes, letters, f"{pad}{text}{pad}", f"{pad}{codes}{pad}", f"{pad}{letters}{pad}"
        )


def similarity(query: str, title: str) -> float:
    if not query or not title:
        return 0.0
    if len(query) <= len(title):
        pad = _PAD * (len(query) - 1)
        partial = fuzz.partial_ratio(query, f"{pad}{title}{pad}")
        return 0.85 * partial + 0.15 * fuzz.ratio(query, title)
    return fuzz.ratio(query, title)


def text_score(query: ParsedQuery, title: str, title_codes: str, title_letters: str) -> float:
    """Best of the character, sound and typed-pinyin similarities of one title."""
    strings = TitleStrings(title, title_codes, title_letters, "", "", "")
    return text_scores(query, [strings], padded=False)[0]


def text_scores(
    query: ParsedQuery, titles: Sequence[TitleStrings], padded: bool = True
) -> list[float]:
    """``text_score`` for many titles, each view scored in one rapidfuzz call."""
    if query.latin:
        letters = [t.letters for t in titles]
        pads = [t.padded_letters for t in titles] if padded else None
        return _scale(_similarities(query.letters, letters, pads), SOUND_FACTOR)
    core, codes = query.core, query.codes
    if len(core) >= 2:
        pads = [t.padded_text for t in titles] if padded else None
        best = _similarities(core, [t.text for t in titles], pads)
    else:
        best = [100.0 if core == t.text else 0.0 for t in titles]
    if len(codes) >= 2:
        pads = [t.padded_codes for t in titles] if padded else None
        by_sound = _scale(_similarities(codes, [t.codes for t in titles], pads), SOUND_FACTOR)
        best = [max(a, b) for a, b in zip(best, by_sound, strict=True)]
    return best


def _similarities(query: str, plain: list[str], padded: list[str] | None) -> list[float]:
    """``similarity(query, p)`` for each ``p`` in ``plain``; ``padded`` holds them padded."""
    if padded is None or len(query) - 1 > PAD_WIDTH:
        return [similarity(query, p) for p in plain]
    ratio = _in_order(process.extract(query, plain, scorer=fuzz.ratio, limit=None), len(plain))
    partial = _in_order(
        process.extract(query, padded, scorer=fuzz.partial_ratio, limit=None), len(plain)
    )
    size = len(query)
    return [
        0.85 * part + 0.15 * whole if size <= len(title) else whole
        for title, whole, part in zip(plain, ratio, partial, strict=True)
    ]


def _in_order(extracted: list[tuple[str, float, int]], size: int) -> list[float]:
    scores = [0.0] * size
    for _, score, position in extracted:
        scores[position] = score
    return scores


def _scale(scores: list[float], factor: float) -> list[float]:
    return [factor * s for s in scores]


def combine(
    text: float,
    query_concepts: frozenset[str],
    query_synsets: frozenset[int],
    title_concepts: frozenset[str],
    title_synsets: frozenset[int],
) -> float:
    if not query_concepts or not title_concepts:
        return text
    if query_synsets & title_synsets:
        return SAME_SYNSET + 0.05 * text
    if query_concepts & title_concepts:
        return SAME_CONCEPT + 0.10 * text
    return CONFLICT_FACTOR * text
