"""China's places as job seekers and job feeds write them: lookup, recognition and normalisation.

The data (``templates/lexicon/places.tsv``) holds every province, prefecture, county and
district with the short name feeds use (烟台, 紫阳, 库伦旗, 红寺堡); ``place_aliases.txt``
adds short forms people type (内蒙 → 内蒙古, 呼市 → 呼和浩特) and marks short names that are
everyday words. Text passed in should be simplified Chinese.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

LEXICON_DIR = Path(__file__).resolve().parent.parent / "templates" / "lexicon"

# Suffixes feeds append to names; stripped only when two characters or more remain, so that
# 礼县 and 沛县 stay whole. Banners (旗) and leagues (盟) keep theirs: 库伦 alone is elsewhere.
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "地区", "新区", "省", "市", "县", "区")
_MAX_NAME = 16


class PlaceLevel(IntEnum):
    """Administrative level; a lower value is the larger area."""

    province = 1
    prefecture = 2
    county = 3
    district = 4


@dataclass(frozen=True, slots=True)
class Place:
    name: str  # short name as vacancies carry it: 烟台, 紫阳, 库伦旗, 内蒙古
    full_name: str  # official name: 烟台市
    level: PlaceLevel
    province: str  # short name of the province (itself for a province)
    city: str | None  # short name of the prefecture it is in (itself for one); None above that
    code: str

    def contains(self, other: Place) -> bool:
        """Whether ``other`` is this place or lies inside it."""
        if self.level is PlaceLevel.province:
            return other.province == self.name
        if self.level is PlaceLevel.prefecture:
            return other.city == self.name and other.province == self.province
        return other.code == self.code


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    place: Place
    start: int
    end: int


class Places:
    """An immutable table of places; build it once with :meth:`load` and share it."""

    def __init__(self, places: Iterable[Place], aliases: dict[str, str], words: set[str]) -> None:
        self._by_code: dict[str, Place] = {}
        self._by_name: dict[str, list[Place]] = defaultdict(list)
        self._words = frozenset(words)
        for place in places:
            self._by_code[place.code] = place
            self._by_name[place.name].append(place)
            if place.full_name != place.name:
                self._by_name[place.full_name].append(place)
        for place in list(self._by_code.values()):
            bare = place.name.removesuffix("旗").removesuffix("盟")
            if bare != place.name and len(bare) >= 2 and bare not in self._by_name:
                self._by_name[bare].append(place)
        for alias, target in aliases.items():
            found = self._by_name.get(target)
            if found:
                # An alias means one place: put it first, ahead of same-named others.
                self._by_name[alias] = [found[0], *self._by_name.get(alias, [])]
        for candidates in self._by_name.values():
            candidates.sort(key=lambda p: (p.level, p.code))
        self._children: dict[str, list[Place]] = defaultdict(list)
        for place in self._by_code.values():
            parent = self.parent(place)
            if parent is not None:
                self._children[parent.code].append(place)
        self._max_len = min(_MAX_NAME, max(len(name) for name in self._by_name))

    @classmethod
    def load(cls, directory: Path = LEXICON_DIR) -> Places:
        rows = _read_rows(directory / "places.tsv")
        aliases: dict[str, str] = {}
        words: set[str] = set()
        for row in _read_rows(directory / "place_aliases.txt"):
            if row[0].startswith("-"):
                words.add(row[0][1:])
            elif len(row) >= 2:
                aliases[row[0]] = row[1]
        return cls(_link(rows), aliases, words)

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Place]:
        return iter(self._by_code.values())

    def get(self, name: str, province: str | None = None) -> Place | None:
        """The place called ``name`` (short, official or alias), preferring ``province``."""
        candidates = self._by_name.get(unicodedata.normalize("NFKC", name).strip())
        if not candidates:
            return None
        if province:
            province = self.province_name(province)
            for place in candidates:
                if place.province == province:
                    return place
        return candidates[0]

    def province_name(self, province: str) -> str:
        """Short province name (山东省 → 山东, 内蒙 → 内蒙古); unknown names are only stripped."""
        for place in self._by_name.get(province.strip(), []):
            if place.level is PlaceLevel.province:
                return place.name
        return strip_suffix(province.strip())

    def province_of(self, city: str) -> str | None:
        place = self.get(city)
        return place.province if place else None

    def normalise(self, city: str, province: str | None = None) -> tuple[str, str]:
        """``(city, province)`` in the short form vacancies use: ("烟台市", "山东省") → 烟台, 山东.

        A province-level city gives itself as both (北京, 北京). An unknown city keeps its
        name less the usual suffix, with the province as given.
        """
        city = unicodedata.normalize("NFKC", city).strip()
        province_short = self.province_name(province) if province else None
        place = self.get(city, province_short)
        if place is None:
            match = self.find_in(city, within=province_short)
            place = match.place if match and match.end - match.start >= 2 else None
        if place is None:
            return strip_suffix(city), province_short or ""
        if place.level is PlaceLevel.province:
            return place.name, place.name
        return place.name, place.province

    def children(self, place: Place) -> list[Place]:
        """The places directly inside ``place`` (a prefecture's counties and districts)."""
        return self._children.get(place.code, [])

    def parent(self, place: Place) -> Place | None:
        code = place.code
        for size in (4, 2):
            if len(code) > size and code[:size] in self._by_code:
                return self._by_code[code[:size]]
        return None

    def find_in(self, text: str, within: str | None = None) -> PlaceMatch | None:
        """The most specific place named in ``text`` (天津招焊工吗 → 天津), or None.

        Several places: the most specific one wins (内蒙古包头 → 包头), and an ambiguous name
        goes to the one inside a province also named. Everyday words from the alias file count
        only with their suffix.
        """
        matches = self.find_all(text)
        if not matches:
            return None
        provinces = {m.place.province for m in matches if m.place.level is PlaceLevel.province}
        if within:
            provinces.add(self.province_name(within))
        best: PlaceMatch | None = None
        for found in matches:
            match = found
            if provinces:
                name = text[found.start : found.end]
                for candidate in self._by_name.get(name, []):
                    if candidate.province in provinces:
                        match = PlaceMatch(candidate, found.start, found.end)
                        break
            if best is None or match.place.level > best.place.level:
                best = match
        return best

    def find_all(self, text: str) -> list[PlaceMatch]:
        """Every place name in ``text``, longest first and without overlaps, in text order."""
        found: list[PlaceMatch] = []
        i = 0
        while i < len(text):
            for size in range(min(self._max_len, len(text) - i), 1, -1):
                name = text[i : i + size]
                candidates = self._by_name.get(name)
                if candidates and name not in self._words:
                    found.append(PlaceMatch(candidates[0], i, i + size))
                    i += size
                    break
            else:
                i += 1
        return found


def strip_suffix(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _read_rows(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.rstrip("\n").split("\t"))
    return rows


def _link(rows: list[list[str]]) -> list[Place]:
    """Places with their province and prefecture resolved through the parent codes."""
    by_code = {row[0]: row for row in rows}

    def ancestors(code: str) -> list[list[str]]:
        chain = []
        while code:
            row = by_code[code]
            chain.append(row)
            code = row[4] if len(row) > 4 else ""
        return chain

    places = []
    for row in rows:
        chain = ancestors(row[0])
        level = PlaceLevel[row[3]]
        province = chain[-1][1]
        prefecture = next((r[1] for r in chain if r[3] == "prefecture"), None)
        if prefecture is None and level is not PlaceLevel.province and chain[-1][2].endswith("市"):
            prefecture = province  # a district of 北京 or 重庆 lies in that city
        places.append(Place(row[1], row[2], level, province, prefecture, row[0]))
    return places
