"""Characters written for others, and reading the list files of ``templates/lexicon``.

Split from ``jobfeed.search.lexicon`` (which uses both) to keep that module to the trade
dictionary and finding its terms in text.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from jobfeed.places import LEXICON_DIR
from jobfeed.search.normalise import normalise

SOUND = "同音"
SHAPE = "形近"


class Confusions:
    """Characters written for others: look-alikes (handwriting) and sound-alikes (a pinyin
    keyboard's neighbours), from ``confusions.tsv``; and the real words (``real_words.txt``)
    that such a swap would turn into a trade (村里 is a village, not 木里)."""

    def __init__(
        self,
        shapes: dict[str, frozenset[str]],
        sounds: dict[str, frozenset[str]],
        words: Iterable[str] = (),
    ) -> None:
        self._shapes = shapes
        self._sounds = sounds
        self.words = frozenset(words)

    @classmethod
    def load(cls, directory: Path = LEXICON_DIR) -> Confusions:
        shapes: dict[str, frozenset[str]] = {}
        sounds: dict[str, frozenset[str]] = {}
        for line in read_lines(directory / "confusions.tsv"):
            char, shape, sound = line.split("\t")
            shapes[char] = frozenset(shape)
            sounds[char] = frozenset(sound)
        return cls(shapes, sounds, read_words(directory / "real_words.txt"))

    def kind(self, written: str, meant: str) -> str | None:
        """形近 or 同音 when ``written`` may stand for ``meant``, else None."""
        if written in self._shapes.get(meant, ()):
            return SHAPE
        if written in self._sounds.get(meant, ()):
            return SOUND
        return None


def read_lines(path: Path) -> list[str]:
    """The lines of a lexicon list file, without blank and ``#`` comment lines."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            lines.append(line)
    return lines


def read_words(path: Path) -> list[str]:
    return [normalise(w) for line in read_lines(path) for w in line.split() if normalise(w)]
