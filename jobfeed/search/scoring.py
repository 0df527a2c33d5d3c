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

from rapidfuzz import fuzz

from jobfeed.search.query import ParsedQuery

SAME_SYNSET = 95.0  # 挖机 vs 挖掘机司机
SAME_CONCEPT = 85.0  # 挖机 vs 装载机司机
CONFLICT_FACTOR = 0.6  # 司机 vs 叉车司机: a different trade that merely shares words
SOUND_FACTOR = 0.95  # a match by sound ranks just below the same match by characters
_PAD = "\x00"  # never in normalised text


def similarity(query: str, title: str) -> float:
    if not query or not title:
        return 0.0
    if len(query) <= len(title):
        pad = _PAD * (len(query) - 1)
        partial = fuzz.partial_ratio(query, f"{pad}{title}{pad}")
        return 0.85 * partial + 0.15 * fuzz.ratio(query, title)
    return fuzz.ratio(query, title)


def text_score(query: ParsedQuery, title: str, title_codes: str, title_letters: str) -> float:
    """Best of the character, sound and typed-pinyin similarities."""
    if query.latin:
        return SOUND_FACTOR * similarity(query.letters, title_letters)
    core, codes = query.core, query.codes
    best = similarity(core, title) if len(core) >= 2 or core == title else 0.0
    if len(codes) >= 2 and best < 100:
        best = max(best, SOUND_FACTOR * similarity(codes, title_codes))
    return best


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
