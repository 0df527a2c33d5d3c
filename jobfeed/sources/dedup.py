"""Near-duplicates across sources: the same employer, title and place, written differently.

Keys are folded (simplified, no punctuation) and stripped of legal forms (有限公司) and
advertising words (急招, 高薪); candidates share the city and come from another source;
rapidfuzz then compares titles (``ratio`` >= 90: 电焊工 and 焊工 stay apart) and
employers (``ratio`` >= 85, or one name inside the other when it has 4+ characters).
Within one source, two ids are two vacancies, however alike.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from jobfeed.models import Vacancy, VacancyStatus
from jobfeed.sources.textnorm import fold

TITLE_CUTOFF = 90.0
EMPLOYER_CUTOFF = 85.0
_LEGAL = re.compile(r"(股份有限公司|有限责任公司|有限公司|集团公司|集团|分公司|公司)$")
_TITLE_NOISE = re.compile(
    r"急招|急聘|高薪|直招|诚聘|招聘|热招|长期招|包吃包?住|名额有限|\d+[名人]$"
)
# Held (by the post checker) is still an opening: its twins fold into it, and what they
# add (a missing description, the pay) may be what releases it.
_OPEN = (VacancyStatus.active, VacancyStatus.pending, VacancyStatus.held)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    source: str
    employer: str
    title: str

    @classmethod
    def of(cls, vacancy: Vacancy) -> Fingerprint:
        return cls(vacancy.source, employer_key(vacancy.employer), title_key(vacancy.title))

    def encode(self) -> str:
        return f"{self.source}\t{self.employer}\t{self.title}"

    @classmethod
    def decode(cls, text: str) -> Fingerprint:
        source, employer, title = text.split("\t", 2)
        return cls(source, employer, title)


def employer_key(employer: str) -> str:
    key = fold(employer)
    while True:
        stripped = _LEGAL.sub("", key)
        if stripped == key or len(stripped) < 2:
            return key
        key = stripped


def title_key(title: str) -> str:
    key = fold(title)
    return _TITLE_NOISE.sub("", key) or key


def same_employer(a: str, b: str) -> bool:
    if fuzz.ratio(a, b) >= EMPLOYER_CUTOFF:
        return True
    return min(len(a), len(b)) >= 4 and fuzz.partial_ratio(a, b) >= 95


class DuplicateIndex:
    """Fingerprints of feed vacancies by city and source, held for one import run."""

    def __init__(self) -> None:
        self._cities: dict[str, dict[str, dict[str, Fingerprint]]] = {}

    def loaded(self, city: str) -> bool:
        return city in self._cities

    def load(self, city: str, entries: dict[str, Fingerprint]) -> None:
        by_source: dict[str, dict[str, Fingerprint]] = defaultdict(dict)
        for vacancy_id, fingerprint in entries.items():
            by_source[fingerprint.source][vacancy_id] = fingerprint
        self._cities[city] = dict(by_source)

    def add(self, city: str, vacancy_id: str, fingerprint: Fingerprint) -> None:
        self._cities.setdefault(city, {}).setdefault(fingerprint.source, {})[vacancy_id] = (
            fingerprint
        )

    def remove(self, city: str, vacancy_id: str, source: str) -> None:
        self._cities.get(city, {}).get(source, {}).pop(vacancy_id, None)

    def has_other_sources(self, city: str, source: str) -> bool:
        return any(s != source and entries for s, entries in self._cities.get(city, {}).items())

    def candidates(self, city: str, fingerprint: Fingerprint) -> list[str]:
        """Ids of other sources' vacancies in ``city`` that look like the same job, best first."""
        found: list[tuple[float, str]] = []
        for source, entries in self._cities.get(city, {}).items():
            if source == fingerprint.source or not entries:
                continue
            titles = {vacancy_id: fp.title for vacancy_id, fp in entries.items()}
            for _, score, vacancy_id in process.extract(
                fingerprint.title, titles, scorer=fuzz.ratio, score_cutoff=TITLE_CUTOFF, limit=None
            ):
                if same_employer(fingerprint.employer, entries[vacancy_id].employer):
                    found.append((score, vacancy_id))
        return [vacancy_id for _, vacancy_id in sorted(found, reverse=True)]


def can_absorb(canonical: Vacancy) -> bool:
    """Only open vacancies absorb duplicates: a closed one's twin is a new opening."""
    return canonical.status in _OPEN


def merge_into(canonical: Vacancy, duplicate: Vacancy) -> Vacancy | None:
    """The canonical vacancy with what the duplicate adds (a later deadline, fields the
    canonical lacks); None when it adds nothing. The canonical's own data always wins."""
    update: dict[str, object] = {}
    if duplicate.expires_at and (
        canonical.expires_at is None or duplicate.expires_at > canonical.expires_at
    ):
        update["expires_at"] = duplicate.expires_at
    unknown_pay = canonical.salary_min is None and canonical.salary_max is None
    if unknown_pay and (duplicate.salary_min is not None or duplicate.salary_max is not None):
        update["salary_min"] = duplicate.salary_min
        update["salary_max"] = duplicate.salary_max
        update["salary_unit"] = duplicate.salary_unit
    for name in ("contact_phone", "url", "brand", "requirements", "description"):
        if not getattr(canonical, name) and getattr(duplicate, name):
            update[name] = getattr(duplicate, name)
    extra = [b for b in duplicate.benefits if b not in canonical.benefits]
    if extra:
        update["benefits"] = [*canonical.benefits, *extra]
    if not update:
        return None
    return canonical.model_copy(update={**update, "updated_at": duplicate.updated_at})
