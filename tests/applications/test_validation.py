"""Answer parsers: clean values out, a reason code for everything else."""

from __future__ import annotations

from datetime import date

import pytest

from jobfeed.applications.validation import (
    InvalidAnswer,
    parse_age,
    parse_experience,
    parse_long,
    parse_name,
    parse_phone,
    parse_short,
)

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    "typed",
    [
        "13812345678",
        "１３８１２３４５６７８",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "8613812345678",
        "（+86）13812345678",
    ],
)
def test_mobile_numbers_in_any_common_form(typed: str) -> None:
    assert parse_phone(typed) == "13812345678"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("12345", "phone_format"),
        ("", "phone_format"),
        ("电话13812345678", "phone_format"),
        ("1381234567", "phone_not_mobile"),
        ("12012345678", "phone_not_mobile"),
        ("010-65529988", "phone_not_mobile"),  # a Beijing landline
        ("+1 202 555 0123", "phone_not_cn"),
        ("+852 6123 4567", "phone_not_cn"),
    ],
)
def test_bad_numbers_are_refused_with_a_reason(typed: str, reason: str) -> None:
    with pytest.raises(InvalidAnswer) as caught:
        parse_phone(typed)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("35", (35, None)),
        ("３５岁", (35, None)),
        ("16", (16, None)),
        ("70", (70, None)),
        ("1990", (36, 1990)),
        ("1990年", (36, 1990)),
        ("2010年生", (16, 2010)),
    ],
)
def test_age_or_birth_year(typed: str, expected: tuple[int, int | None]) -> None:
    assert parse_age(typed, TODAY) == expected


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("7", "age_too_young"),
        ("15", "age_too_young"),
        ("2015", "age_too_young"),
        ("71", "age_too_old"),
        ("200", "age_too_old"),
        ("1950", "age_too_old"),
        ("三十五", "age_format"),
        ("35.5", "age_format"),
        ("", "age_format"),
    ],
)
def test_ages_out_of_range(typed: str, reason: str) -> None:
    with pytest.raises(InvalidAnswer) as caught:
        parse_age(typed, TODAY)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    ("typed", "years"),
    [("3", 3), ("3年", 3), ("５年以上", 5), ("无", 0), ("无经验", 0), ("三年", 3),
     ("十年以上", 10), ("十二年", 12), ("二十", 20), ("两年多", 2)],
)  # fmt: skip
def test_experience(typed: str, years: int) -> None:
    assert parse_experience(typed) == years


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("很多年", "experience_format"),
        ("99", "experience_range"),
        ("三十三十", "experience_format"),
    ],
)
def test_bad_experience(typed: str, reason: str) -> None:
    with pytest.raises(InvalidAnswer) as caught:
        parse_experience(typed)
    assert caught.value.reason == reason


def test_texts_are_trimmed_bounded_and_never_commands() -> None:
    assert parse_short("  天津\t滨海  ") == "天津 滨海"
    assert parse_long("焊工证\n叉车证") == "焊工证 叉车证"
    for bad, reason in (("", "text_empty"), ("   ", "text_empty"), (None, "text_empty"),
                        ("/start", "text_command"), ("x" * 51, "text_too_long_50")):  # fmt: skip
        with pytest.raises(InvalidAnswer) as caught:
            parse_short(bad)
        assert caught.value.reason == reason
    assert parse_long("证" * 300) == "证" * 300
    with pytest.raises(InvalidAnswer):
        parse_long("证" * 301)


def test_names_need_letters() -> None:
    assert parse_name("张三") == "张三"
    assert parse_name("Li Wei") == "Li Wei"
    with pytest.raises(InvalidAnswer) as caught:
        parse_name("12345")
    assert caught.value.reason == "name_letters"
    with pytest.raises(InvalidAnswer):
        parse_name("张" * 31)
