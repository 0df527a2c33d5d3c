"""Pay as sources write it -> (min, max, unit) in CNY.

Understood: ``5000-8000元/月``, ``5000~8000``, ``8k-10k``, ``8-10K``, ``1.2万-1.5万``,
``月薪6千``, ``日结200``, ``150元/天``, ``25元/小时``, ``时薪25``, ``6000以上``,
``底薪3000+提成``, ``年薪12万`` (as a monthly twelfth). Text without any digit (``面议``,
``待遇优厚``, ``计件``) means negotiable; digits we cannot read are an error, never a guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from jobfeed.models import SalaryUnit

_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(k|千|w|万)?", re.IGNORECASE)
_RANGE_SEP = re.compile(r"^\s*(?:元|块)?\s*(?:-|~|—|–|－|至|到)\s*$")
_MULTIPLIER = {"k": 1000, "千": 1000, "w": 10000, "万": 10000}
_MONTH = re.compile(r"月薪|/月|每月|元月|per\s*month", re.IGNORECASE)
_HOUR = re.compile(r"小时|时薪|/时|每时|/h\b|per\s*hour", re.IGNORECASE)
_DAY = re.compile(r"日结|日薪|/天|/日|每天|每日|天|per\s*day", re.IGNORECASE)
_YEAR = re.compile(r"年薪|/年|每年|per\s*year", re.IGNORECASE)
_AT_LEAST = re.compile(r"以上|起|\+|不低于|保底|底薪")
_AT_MOST = re.compile(r"以下|以内|不超过|最高")
# Plausible bounds per unit: beyond them the text was misread (a phone number, a year).
_BOUNDS = {
    SalaryUnit.month: (100, 1_000_000),
    SalaryUnit.day: (10, 10_000),
    SalaryUnit.hour: (1, 2_000),
}


class PayError(ValueError):
    """The pay text has numbers we cannot interpret."""


@dataclass(frozen=True, slots=True)
class Pay:
    low: int | None
    high: int | None
    unit: SalaryUnit = SalaryUnit.month


NEGOTIABLE = Pay(None, None)


def parse_pay(text: str) -> Pay:
    clean = unicodedata.normalize("NFKC", text).replace(",", "").strip()
    if not any(ch.isdigit() for ch in clean):
        return NEGOTIABLE
    unit, divisor = _unit_of(clean)
    numbers = list(_NUMBER.finditer(clean))
    values = [_value(m) for m in numbers[:2]]
    if len(numbers) >= 2 and _RANGE_SEP.match(clean[numbers[0].end() : numbers[1].start()]):
        low, high = values
        if numbers[0].group(2) is None and numbers[1].group(2):  # "8-10k": k applies to both
            low = float(numbers[0].group(1)) * _MULTIPLIER[numbers[1].group(2).lower()]
    else:
        low = high = values[0]
        tail = clean[numbers[0].end() :]
        head = clean[: numbers[0].start()]
        if _AT_LEAST.search(tail) or _AT_LEAST.search(head):
            high = None
        elif _AT_MOST.search(tail) or _AT_MOST.search(head):
            low = None
    pay = Pay(_scaled(low, divisor), _scaled(high, divisor), unit)
    _check(pay, text)
    return pay


def _unit_of(text: str) -> tuple[SalaryUnit, int]:
    if _MONTH.search(text):
        return SalaryUnit.month, 1
    if _HOUR.search(text):
        return SalaryUnit.hour, 1
    if _YEAR.search(text):
        return SalaryUnit.month, 12
    if _DAY.search(text):
        return SalaryUnit.day, 1
    return SalaryUnit.month, 1


def _value(match: re.Match[str]) -> float:
    multiplier = _MULTIPLIER[match.group(2).lower()] if match.group(2) else 1
    return float(match.group(1)) * multiplier


def _scaled(value: float | None, divisor: int) -> int | None:
    return None if value is None else round(value / divisor)


def _check(pay: Pay, text: str) -> None:
    floor, ceiling = _BOUNDS[pay.unit]
    for value in (pay.low, pay.high):
        if value is not None and not floor <= value <= ceiling:
            raise PayError(f"pay {text!r}: {value} is not a plausible {pay.unit.value}ly amount")
    if pay.low is not None and pay.high is not None and pay.low > pay.high:
        raise PayError(f"pay {text!r}: the lower bound is above the upper one")
