"""Pinyin views of text, for homophone typos (电汗工) and queries typed in pinyin (dianhangong).

Two views: *codes*, one character per syllable with sounds that pinyin keyboards and
accents confuse merged (zh/z, ch/c, sh/s, -ng/-n), so rapidfuzz compares sounds as it
compares characters; and *letters*, the toneless pinyin run together, compared with what a
user typed in Latin letters.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from jobfeed.search.normalise import is_cjk

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_PRIVATE_USE = 0xE000  # codes live in the Private Use Area, apart from any text


# pypinyin loads its dictionaries (40,000 characters, phrases) on import: importing it on
# first use keeps ``import jobfeed.search`` cheap for code that only normalises text.
# Cached per run of CJK characters (readings depend on the whole run: 长大 vs 长度):
# the same phrases come back in every group all day, and pypinyin costs ~20 µs a run.
@lru_cache(maxsize=65536)
def _lazy_pinyin(text: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin  # noqa: PLC0415

    return tuple(lazy_pinyin(text))


@cache
def _syllables() -> frozenset[str]:
    """Every toneless syllable pypinyin knows, less the bare consonants (m, n, ng, hm...)."""
    from pypinyin.contrib.tone_convert import to_normal  # noqa: PLC0415
    from pypinyin.pinyin_dict import pinyin_dict  # noqa: PLC0415

    found = {to_normal(p) for readings in pinyin_dict.values() for p in readings.split(",")}
    return frozenset(s for s in found if s.isascii() and any(v in s for v in "aeiouv"))


@cache
def _code_table() -> dict[str, str]:
    merged = sorted({_fuzzy(s) for s in _syllables()})
    return {s: chr(_PRIVATE_USE + i) for i, s in enumerate(merged)}


def _fuzzy(syllable: str) -> str:
    if syllable[:2] in {"zh", "ch", "sh"}:
        syllable = syllable[0] + syllable[2:]
    if syllable.endswith("ng") and not syllable.endswith("ong"):
        syllable = syllable[:-1]
    return syllable


@lru_cache(maxsize=65536)
def syllables(text: str) -> tuple[str, ...]:
    """电焊工 → (dian, han, gong); other runs stay whole: cnc操作员 → (cnc, cao, zuo, yuan)."""
    out: list[str] = []
    pos = 0
    for match in _CJK_RUN.finditer(text):
        out.extend(text[pos : match.start()].split())
        out.extend(_lazy_pinyin(match.group()))
        pos = match.end()
    out.extend(text[pos:].split())
    return tuple(out)


@lru_cache(maxsize=65536)
def codes(text: str) -> str:
    """One character per syllable, sound-alikes equal: codes(电汗工) == codes(电焊工)."""
    table = _code_table()
    parts = []
    for syllable in syllables(text):
        code = table.get(_fuzzy(syllable))
        parts.append(code if code is not None else syllable)
    return "".join(parts)


def char_codes(text: str) -> list[str]:
    """The code of each character of ``text`` (a CJK character's syllable, else the character),
    so that spans found in the codes map back to positions in the text."""
    table = _code_table()
    out = []
    for char, syllable in zip(text, _per_char(text), strict=True):
        out.append(table.get(_fuzzy(syllable), char) if is_cjk(char) else char)
    return out


def _per_char(text: str) -> list[str]:
    out: list[str] = []
    pos = 0
    for match in _CJK_RUN.finditer(text):
        out.extend(text[pos : match.start()])
        readings = _lazy_pinyin(match.group())
        # pypinyin gives one reading per character for CJK runs; be safe if it ever doesn't.
        if len(readings) != len(match.group()):
            readings = tuple(_lazy_pinyin(c)[0] for c in match.group())
        out.extend(readings)
        pos = match.end()
    out.extend(text[pos:])
    return out


@lru_cache(maxsize=65536)
def letters(text: str) -> str:
    """The toneless pinyin run together: 电焊工 → dianhangong; cnc操作员 → cnccaozuoyuan."""
    return "".join(syllables(text))


def boundaries(typed: str, words: frozenset[str] = frozenset()) -> frozenset[int]:
    """Positions in Latin ``typed`` where a whole syllable may begin or end.

    A position counts when the letters before it split into syllables and so do the letters
    after it, so ``hugong`` is found in ``yiyuanhugong`` but ``angon`` is not. Non-pinyin
    ``words`` (cnc, qc) and runs of digits count as pieces too.
    """
    pieces = _syllables() | words
    longest = max(6, *(len(w) for w in words)) if words else 6
    size = len(typed)
    from_start = [False] * (size + 1)  # typed[:i] splits into pieces
    to_end = [False] * (size + 1)  # typed[i:] splits into pieces
    from_start[0] = to_end[size] = True
    for i in range(size):
        if from_start[i]:
            for j in range(i + 1, min(size, i + longest) + 1):
                if typed[i:j] in pieces or typed[i:j].isdigit():
                    from_start[j] = True
    for j in range(size, 0, -1):
        if to_end[j]:
            for i in range(max(0, j - longest), j):
                if typed[i:j] in pieces or typed[i:j].isdigit():
                    to_end[i] = True
    return frozenset(i for i in range(size + 1) if from_start[i] and to_end[i])
