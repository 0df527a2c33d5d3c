"""Checking job seekers' answers: each parser returns a clean value or raises InvalidAnswer.

``InvalidAnswer.reason`` is a code; the Chinese explanation for it lives in
``templates/bot/resume.j2`` (macro ``invalid``).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import phonenumbers

from jobfeed.applications.models import LONG_MAX, NAME_MAX, SHORT_MAX

AGE_MIN, AGE_MAX = 16, 70
EXPERIENCE_MAX = 60

_NUMBER = re.compile(r"^(\d{1,4})\s*(岁|周岁|年|年生|年出生)?$")
_YEARS = re.compile(r"^(\d{1,2})\s*(年|年以上|多年|年多)?$")
_CHINESE_DIGITS = {
    "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
}  # fmt: skip
_NO_EXPERIENCE = frozenset({"无", "没有", "无经验", "没有经验", "新手", "0年", "没"})
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

# Words that mean "previous step" or "skip" on the reply keyboards (and typed).
BACK_WORDS = frozenset({"返回", "上一步", "back", "/back"})
SKIP_WORDS = frozenset({"跳过", "不上传", "没有", "无", "skip", "/skip"})


class InvalidAnswer(ValueError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def normalize(text: str) -> str:
    """Full-width digits, letters and spaces to their ASCII forms; trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def is_word(text: str, words: frozenset[str]) -> bool:
    return normalize(text).lower() in words


def parse_phone(text: str) -> str:
    """A Chinese mobile number as 11 digits; ``+86``, spaces and dashes are fine."""
    raw = re.sub(r"[\s\-()（）]", "", normalize(text))
    if not re.fullmatch(r"\+?\d{6,16}", raw):
        raise InvalidAnswer("phone_format")
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        raise InvalidAnswer("phone_format") from None
    if number.country_code != 86:
        raise InvalidAnswer("phone_not_cn")
    kind = phonenumbers.number_type(number)
    mobile = {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
    if not phonenumbers.is_valid_number(number) or kind not in mobile:
        raise InvalidAnswer("phone_not_mobile")
    return str(number.national_number)


def parse_age(text: str, today: date) -> tuple[int, int | None]:
    """Age in years, from an age (``35``, ``35岁``) or a birth year (``1990``, ``1990年``).

    Returns ``(age, birth_year)``; ``birth_year`` is None when an age was given.
    """
    match = _NUMBER.fullmatch(normalize(text))
    if match is None:
        raise InvalidAnswer("age_format")
    value = int(match.group(1))
    if value >= 1900:
        age, birth_year = today.year - value, value
    elif value >= 100:
        raise InvalidAnswer("age_too_old")  # 200: neither an age nor a birth year
    else:
        age, birth_year = value, None
    if age < AGE_MIN:
        raise InvalidAnswer("age_too_young")
    if age > AGE_MAX:
        raise InvalidAnswer("age_too_old")
    return age, birth_year


def parse_experience(text: str) -> int:
    """Years of experience: ``3``, ``3年``, ``三年``, ``十年以上``, ``无``."""
    value = normalize(text)
    if value in _NO_EXPERIENCE:
        return 0
    match = _YEARS.fullmatch(value)
    years = int(match.group(1)) if match is not None else _chinese_years(value)
    if years > EXPERIENCE_MAX:
        raise InvalidAnswer("experience_range")
    return years


def _chinese_years(value: str) -> int:
    """一 … 九十九 followed by 年 (and optional 以上/多)."""
    head = re.sub(r"(年以上|多年|年多|年)$", "", value)
    if not head or len(head) > 3 or any(ch not in _CHINESE_DIGITS for ch in head):
        raise InvalidAnswer("experience_format")
    if "十" not in head:
        if len(head) != 1:
            raise InvalidAnswer("experience_format")
        return _CHINESE_DIGITS[head]
    tens, _, ones = head.partition("十")
    if "十" in ones or (tens and len(tens) != 1) or len(ones) > 1:
        raise InvalidAnswer("experience_format")
    return (_CHINESE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DIGITS[ones] if ones else 0)


def parse_text(text: str | None, max_length: int) -> str:
    """A non-empty, bounded free-text answer; never a command."""
    value = _CONTROL.sub("", unicodedata.normalize("NFKC", text or "")).strip()
    value = re.sub(r"\s+", " ", value)
    if not value:
        raise InvalidAnswer("text_empty")
    if value.startswith("/"):
        raise InvalidAnswer("text_command")
    if len(value) > max_length:
        raise InvalidAnswer(f"text_too_long_{max_length}")
    return value


def parse_name(text: str | None) -> str:
    value = parse_text(text, NAME_MAX)
    if not any(ch.isalpha() for ch in value):
        raise InvalidAnswer("name_letters")
    return value


def parse_short(text: str | None) -> str:
    return parse_text(text, SHORT_MAX)


def parse_long(text: str | None) -> str:
    return parse_text(text, LONG_MAX)
