"""What a seeker asks for besides the trade and the place: pay, benefits, shifts (wishes), and
the facts about themselves that a vacancy may exclude (gender, age).

Wishes order the results (those meeting every wish first); facts filter them, and only by
what a vacancy's own requirements say. The words are data, in ``templates/lexicon/wishes.txt``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from jobfeed.places import LEXICON_DIR
from jobfeed.search.normalise import normalise

PAY = "pay"  # the name of the pay wish among the others
DAYS_A_MONTH = 26  # as the private chat's pay filter counts a day rate
HOURS_A_MONTH = 208
_MIN_MONTHLY = 1000  # a smaller monthly figure is not a pay wish (2个人, 3号线)

_DIGITS = "0123456789"
_CN_DIGIT = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
_CN_DIGIT |= {"八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_NUMBER = r"(?:\d+(?:\.\d+)?|[零一二两三四五六七八九十百千万]+)"
_AMOUNT = rf"(?P<amount>{_NUMBER})\s*(?P<unit>k|w|千|万|块钱|块|元)?"
_PER_DAY = r"(?:日薪|一天|每天|天薪|工日|日工资)"
_PER_HOUR = r"(?:时薪|一小时|每小时|小时工资)"
_PER_MONTH = r"(?:月薪|月入|一个月|每月|每个月|月工资|工资|底薪|薪资|薪水|收入|月)"
_MORE = r"(?:以上|往上|上|起|起步|多|加|\+|过|左右|及以上|出头|打底)"
# 工资要6000往上, 月入过万, 日薪300, 一天三百, 时薪25元, 月薪8k
_PAY_NAMED = re.compile(
    rf"(?P<per>{_PER_DAY}|{_PER_HOUR}|{_PER_MONTH})\s*(?:要|能|得|在|至少|最少|不低于|高于|保底|"
    rf"过|有|是|达到|到|上)?\s*{_AMOUNT}\s*(?P<more>{_MORE})?\s*(?P<after>天|日|小时|时|月)?"
)
# 8000以上, 八千往上, 8k, 300一天, 至少7000
_PAY_BARE = re.compile(
    rf"(?P<least>至少|最少|不低于|高于|保底|过|上)?\s*{_AMOUNT}(?P<upto>\s*\d{{3,6}}(?=元|块|\s|的|$))?"
    rf"\s*(?:一|每|1)?(?P<after>天|日|小时|时|月)?"
    rf"\s*(?P<more>{_MORE})?"
)
_AGE = re.compile(rf"(?:(?:年龄|今年|我)\s*)?(?P<age>{_NUMBER})\s*(?:多|来)?\s*(?:周岁|岁)")
_AGE_RANGE = re.compile(
    r"(\d{2})\s*(?:-|—|~|到|至|\s)\s*(\d{2})\s*周?岁"
)  # 18 45岁 once normalised
_AGE_MAX = re.compile(r"(\d{2})\s*周?岁(?:以下|以内|之内|内)")
_AGE_MIN = re.compile(r"(\d{2})\s*周?岁(?:以上)")


@dataclass(frozen=True, slots=True)
class Wishes:
    """What one query asks for beyond trade and place."""

    min_pay: int | None = None  # monthly CNY
    pay_text: str = ""  # as the seeker said it: 8000以上
    labels: tuple[str, ...] = ()  # benefit and shift wishes, as wishes.txt names them
    needs: tuple[frozenset[str], ...] = ()  # per label, the features a vacancy must have
    prefers: frozenset[str] = frozenset()  # features that rank a vacancy meeting them first
    gender: str | None = None  # the seeker's: 男 or 女
    age: int | None = None  # the seeker's
    spans: tuple[tuple[int, int], ...] = field(default=(), compare=False)

    def __bool__(self) -> bool:
        return self.min_pay is not None or bool(self.labels)

    @property
    def facts(self) -> bool:
        return self.gender is not None or self.age is not None

    def names(self) -> list[str]:
        """Every wish as an answer names it: 8000以上, 包吃住."""
        pay = [f"{self.min_pay}以上"] if self.min_pay is not None else []
        return [*pay, *self.labels]


@dataclass(frozen=True, slots=True)
class Offer:
    """What a vacancy gives and whom it admits, read once when it is indexed (pay apart:
    vacancies share offers)."""

    features: frozenset[str]
    gender: str | None  # the only gender admitted, if the requirements say so
    min_age: int | None
    max_age: int | None

    def admits(self, wishes: Wishes) -> bool:
        if wishes.gender is not None and self.gender not in (None, wishes.gender):
            return False
        if wishes.age is not None:
            if self.max_age is not None and wishes.age > self.max_age:
                return False
            if self.min_age is not None and wishes.age < self.min_age:
                return False
        return True

    def met(self, wishes: Wishes) -> list[str]:
        """The names of the wishes other than pay that this offer meets."""
        return [
            label
            for label, need in zip(wishes.labels, wishes.needs, strict=True)
            if need <= self.features
        ]

    def unmet(self, wishes: Wishes) -> tuple[int, int]:
        """How many wishes other than pay it misses, then how many preferred features."""
        missed = sum(not need <= self.features for need in wishes.needs)
        return missed, len(wishes.prefers - self.features)


def pays(wishes: Wishes, pay: int | None) -> bool:
    """Whether a monthly ``pay`` meets the pay wish (there being none counts as met)."""
    return wishes.min_pay is None or (pay is not None and pay >= wishes.min_pay)


class WishBook:
    """The words of ``wishes.txt``, and reading queries and vacancies with them."""

    def __init__(
        self,
        features: Mapping[str, Sequence[str]],
        wishes: Mapping[str, tuple[Sequence[str], frozenset[str], frozenset[str]]],
        genders: Mapping[str, tuple[Sequence[str], Sequence[str]]],
    ) -> None:
        self._feature_words = _alternation(w for words in features.values() for w in words)
        self._features_of: dict[str, set[str]] = {}
        for feature, words in features.items():
            for word in words:
                self._features_of.setdefault(normalise(word), set()).add(feature)
        self._wish_of: dict[str, tuple[str, frozenset[str], frozenset[str]]] = {}
        for label, (words, need, prefer) in wishes.items():
            for word in [label, *words]:
                self._wish_of[normalise(word)] = (label, need, prefer)
        self._gender_of: dict[str, str] = {}
        self._only: dict[str, str] = {}  # a vacancy's word -> the gender it admits
        for gender, (own, others) in genders.items():
            for word in own:
                self._gender_of[normalise(word)] = gender
            for word in others:
                self._only[normalise(word)] = _other(gender)
        self._wish_words = _alternation([*self._wish_of, *self._gender_of])
        self._only_words = _alternation(self._only)

    @classmethod
    def load(cls, directory: Path = LEXICON_DIR) -> WishBook:
        sections = _sections(directory / "wishes.txt")
        features = {name: body.split() for name, body in sections["features"]}
        wishes = {}
        for label, body in sections["wishes"]:
            words, _, wanted = body.partition("=>")
            need = frozenset(f for f in wanted.split() if not f.startswith("("))
            prefer = frozenset(f.strip("()") for f in wanted.split() if f.startswith("("))
            wishes[label] = (words.split(), need, prefer)
        genders = {}
        for gender, body in sections["gender"]:
            own, _, others = body.partition("=>")
            genders[gender] = (own.split(), others.split())
        return cls(features, wishes, genders)

    def read_query(self, norm: str) -> Wishes:
        """The wishes and facts in a normalised query, with the spans they take."""
        spans: list[tuple[int, int]] = []
        min_pay, pay_text, age = None, "", None
        for match in _AGE.finditer(norm):
            value = _number(match.group("age"))
            if value is not None and 14 <= value <= 80:
                age = int(value)
                spans.append(match.span())
        for match in [*_PAY_NAMED.finditer(norm), *_PAY_BARE.finditer(norm)]:
            if _overlaps(match.span(), spans):
                continue
            monthly = _monthly(match.groupdict())
            if monthly is not None:
                min_pay, pay_text = monthly, match.group().strip()
                spans.append(match.span())
                break
        labels: list[str] = []
        needs: list[frozenset[str]] = []
        prefers: set[str] = set()
        gender = None
        for match in self._wish_words.finditer(norm) if self._wish_words else ():
            if _overlaps(match.span(), spans):
                continue
            word = match.group()
            if word in self._gender_of:
                gender = self._gender_of[word]
            else:
                label, need, prefer = self._wish_of[word]
                if label not in labels:
                    labels.append(label)
                    needs.append(need)
                    prefers |= prefer
            spans.append(match.span())
        return Wishes(
            min_pay,
            pay_text,
            tuple(labels),
            tuple(needs),
            frozenset(prefers),
            gender,
            age,
            tuple(spans),
        )

    def blank_out(self, text: str) -> str:
        """Normalised ``text`` with every benefit, condition and wish word as a space."""
        for words in (self._feature_words, self._wish_words):
            if words is not None:
                text = words.sub(" ", text)
        return text

    def read_offer(
        self, benefits: Iterable[str], title: str, description: str, needs: str
    ) -> Offer:
        # Not ``normalise``: its traditional-to-simplified step costs more than the rest.
        text = unicodedata.normalize("NFKC", " ".join([*benefits, title, description]))
        features: set[str] = set()
        for match in self._feature_words.finditer(text) if self._feature_words else ():
            features |= self._features_of[match.group()]
        gender, min_age, max_age = self._admits(needs)
        return Offer(frozenset(features), gender, min_age, max_age)

    @lru_cache(maxsize=4096)  # noqa: B019 (one book per process; requirements repeat)
    def _admits(self, needs: str) -> tuple[str | None, int | None, int | None]:
        """From a vacancy's requirements: the only gender admitted, the youngest, the oldest."""
        requirements = normalise(needs)
        words = self._only_words.finditer(requirements) if self._only_words else ()
        admitted = {self._only[m.group()] for m in words}
        gender = admitted.pop() if len(admitted) == 1 and "不限" not in requirements else None
        min_age = max_age = None
        if found := _AGE_RANGE.search(requirements):
            min_age, max_age = int(found.group(1)), int(found.group(2))
        else:
            if found := _AGE_MAX.search(requirements):
                max_age = int(found.group(1))
            if found := _AGE_MIN.search(requirements):
                min_age = int(found.group(1))
        return gender, min_age, max_age


def _monthly(found: dict[str, str | None]) -> int | None:
    """A pay figure as monthly CNY; None if the numbers found are no pay wish."""
    amount = _number(found["amount"] or "")
    if amount is None:
        return None
    unit = found["unit"] or ""
    upto = found.get("upto")
    if upto and (unit or float(upto) <= amount):  # 8000-9000 is a range; 8k 9 is not
        return None
    if unit in {"k", "千"}:
        amount *= 1000
    elif unit in {"w", "万"}:
        amount *= 10000
    per = found.get("per") or ""
    after = found["after"] or ""
    if re.fullmatch(_PER_DAY, per) or after in {"天", "日"}:
        amount *= DAYS_A_MONTH
    elif re.fullmatch(_PER_HOUR, per) or after in {"小时", "时"}:
        amount *= HOURS_A_MONTH
    elif not (per or unit or found["more"] or found.get("least") or found.get("upto")):
        return None
    if amount < _MIN_MONTHLY or amount > 1_000_000:
        return None
    return int(amount)


def _number(text: str) -> float | None:
    """8000, 8.5, 八千, 一万二, 五千五, 三百, 五十 → their value."""
    if not text:
        return None
    if text[0] in _DIGITS:
        return float(text)
    total, section, digit, last_unit = 0, 0, None, 1
    for char in text:
        if char in _CN_DIGIT:
            if digit is not None:  # 六七千: the lower of two
                continue
            digit = _CN_DIGIT[char]
        elif char in _CN_UNIT:
            unit = _CN_UNIT[char]
            if unit == 10000:
                total = (total + section + (digit or 0) or 1) * unit  # 过万: one 万
                section, last_unit = 0, unit
            else:
                section += (digit if digit is not None else 1) * unit
                last_unit = unit
            digit = None
        else:
            return None
    if digit is not None:  # 一万二 = 12000, 五千五 = 5500
        section += digit * (last_unit // 10 if last_unit >= 10 else 1)
    value = total + section
    return float(value) if value else None


def _other(gender: str) -> str:
    return "女" if gender == "男" else "男"


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


def _alternation(words: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted({normalise(w) for w in words if normalise(w)}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered)) if ordered else None


def _sections(path: Path) -> dict[str, list[tuple[str, str]]]:
    """``[name]`` headed sections of ``key: body`` lines; indented lines continue a body."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[] "), [])
        elif line[0].isspace() and current:
            key, body = current[-1]
            current[-1] = (key, f"{body} {line.strip()}")
        else:
            key, _, body = line.partition(":")
            current.append((key.strip(), body.strip()))
    return sections
