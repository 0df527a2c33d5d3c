"""Reading the answers of the /post wizard (jobfeed.posting), one field at a time."""

from __future__ import annotations

import pytest

from jobfeed.models import GroupKind, SalaryUnit
from jobfeed.places import Places
from jobfeed.posting import (
    InvalidInput,
    parse_benefits,
    parse_headcount,
    parse_phone,
    parse_place,
    parse_salary,
    parse_target,
)


@pytest.fixture(scope="module")
def places() -> Places:
    return Places.load()


@pytest.mark.parametrize(
    ("text", "expected"),
    [("烟台", ("烟台", "山东")), ("呼市", ("呼和浩特", "内蒙古")), ("天津市", ("天津", "天津"))],
)
def test_a_city_gets_its_province(places: Places, text: str, expected: tuple[str, str]) -> None:
    assert parse_place(text, places) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("不存在的地方", "place_unknown"),
        ("小镇 火星省", "province_unknown"),
        ("a b c", "place_format"),
    ],
)
def test_an_unknown_place_is_asked_again(places: Places, text: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_place(text, places)
    assert caught.value.reason == reason


def test_an_unknown_town_with_its_province_is_accepted(places: Places) -> None:
    assert parse_place("小营子 内蒙古", places) == ("小营子", "内蒙古")


def test_pay_headcount_and_benefits() -> None:
    assert parse_salary("５０００－８０００元/月") == (5000, 8000, SalaryUnit.month)
    assert parse_salary("日结200") == (200, 200, SalaryUnit.day)
    assert parse_salary("面议") == (None, None, SalaryUnit.month)
    with pytest.raises(InvalidInput):
        parse_salary("月薪99999999")
    assert [parse_headcount(t) for t in ("3", "３人", "两", "十名")] == [3, 3, 2, 10]
    for bad in ("很多", "0", "100000"):
        with pytest.raises(InvalidInput):
            parse_headcount(bad)
    assert parse_benefits("包吃包住，五险一金、包吃包住") == ["包吃包住", "五险一金"]
    assert parse_benefits("跳过") == []
    with pytest.raises(InvalidInput):
        parse_benefits("这是一项特别特别特别特别特别长的福利说明文字")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("139 1234 5678", "13912345678"), ("+86 139-1234-5678", "13912345678"),
     ("１３９１２３４５６７８", "13912345678"), ("0471-6612345", "0471-6612345")],
)  # fmt: skip
def test_phones_are_normalised(text: str, expected: str) -> None:
    assert parse_phone(text) == expected


@pytest.mark.parametrize("text", ["12345", "12345678901", "电话", "139123456789"])
def test_a_bad_phone_is_asked_again(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_phone(text)


def test_targeting(places: Places) -> None:
    assert parse_target("全部群", places).model_dump() == parse_target("all", places).model_dump()
    target = parse_target("城市=天津市,烟台 省份=山东省 行业=铝业 类型=招聘群", places)
    assert target.city == ["天津", "烟台"] and target.province == ["山东"]
    assert target.industries == ["铝业"] and target.kind == [GroupKind.recruitment]
    assert parse_target("city=天津 kind=community", places).kind == [GroupKind.community]
    for bad, reason in (("城市", "target_format"), ("颜色=红", "target_format"),
                        ("类型=聊天群", "target_kind")):  # fmt: skip
        with pytest.raises(InvalidInput) as caught:
            parse_target(bad, places)
        assert caught.value.reason == reason
