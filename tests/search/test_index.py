"""SearchIndex behaviour on small hand-made feeds: forms of query, places, paging, changes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from jobfeed.models import SalaryUnit, VacancyStatus
from jobfeed.search import SearchIndex
from tests.search.conftest import NOW
from tests.search.conftest import make_vacancy as vacancy


@pytest.fixture
def index() -> SearchIndex:
    built = SearchIndex()
    built.build(
        [
            vacancy("w1", "电焊工"),
            vacancy("w2", "氩弧焊工", "包头", province="内蒙古"),
            vacancy("e1", "维修电工", "包头", province="内蒙古"),
            vacancy("e2", "电解工", "包头", province="内蒙古"),
            vacancy("h1", "家政服务员", "安康", province="陕西"),
            vacancy("h2", "住家保姆", "紫阳", province="陕西"),
            vacancy("s1", "服务员", "安康", province="陕西"),
            vacancy("f1", "叉车司机", "烟台", province="山东"),
            vacancy("x1", "挖掘机司机", "开鲁", province="内蒙古"),
        ],
        NOW,
    )
    return built


def ids(index: SearchIndex, text: str, **kwargs: Any) -> list[str]:
    return [h.vacancy_id for h in index.search(text, limit=10, now=NOW, **kwargs).hits]


def test_plain_and_synonyms(index: SearchIndex) -> None:
    assert ids(index, "焊工")[:2] == ["w1", "w2"] or set(ids(index, "焊工")) == {"w1", "w2"}
    assert set(ids(index, "电焊")) == {"w1", "w2"}
    assert ids(index, "保姆") == ["h2", "h1"]  # the exact word first, then its trade
    assert ids(index, "挖机") == ["x1"]


def test_electrician_is_not_electrolysis_or_welding(index: SearchIndex) -> None:
    assert ids(index, "电工") == ["e1"]
    assert ids(index, "电解工") == ["e2"]


def test_housekeeper_is_not_a_waiter(index: SearchIndex) -> None:
    assert "s1" not in ids(index, "家政服务员")
    assert ids(index, "服务员")[0] == "s1"


def test_traditional_characters(index: SearchIndex) -> None:
    assert ids(index, "電焊工")[0] == "w1"
    assert ids(index, "維修電工") == ["e1"]


@pytest.mark.parametrize(
    "text", ["dianhangong", "dian han gong", "DianHanGong", "dian4han4gong1", "电汗工"]
)
def test_pinyin_and_homophones(index: SearchIndex, text: str) -> None:
    assert ids(index, text)[0] == "w1"


def test_homophone_typo_of_a_two_syllable_word(index: SearchIndex) -> None:
    assert ids(index, "叉车斯机") == ["f1"]
    assert ids(index, "宝安") == []  # 保安: there is no security job in this feed
    assert index.search("宝安", now=NOW).query.concepts == {"security"}


def test_unrelated_query_finds_nothing(index: SearchIndex) -> None:
    for text in ["程序员", "有没有宇宙飞船驾驶的工作", "早上好", "", "   ", "的"]:
        assert ids(index, text) == [], text


def test_place_in_query_filters_to_it(index: SearchIndex) -> None:
    result = index.search("包头 焊工", now=NOW)
    assert [h.vacancy_id for h in result.hits] == ["w2"]
    assert result.in_place
    assert result.place is not None
    assert result.place.name == "包头"


def test_prefecture_includes_its_counties_after_itself(index: SearchIndex) -> None:
    assert ids(index, "安康 保姆") == ["h1", "h2"]  # 安康 itself first, then 紫阳 in it


def test_province_and_short_forms(index: SearchIndex) -> None:
    assert ids(index, "内蒙 挖机") == ["x1"]
    assert ids(index, "内蒙古 焊工") == ["w2"]


def test_place_without_matches_falls_back_nearest_first(index: SearchIndex) -> None:
    result = index.search("呼和浩特 电焊工", limit=5, now=NOW)
    assert not result.in_place
    assert [h.vacancy_id for h in result.hits] == ["w2", "w1"]  # same province first


def test_city_argument_is_a_default_place(index: SearchIndex) -> None:
    assert ids(index, "焊工", city="包头市") == ["w2"]
    assert ids(index, "天津 焊工", city="包头") == ["w1"]  # the query's own place wins


def test_place_alone_lists_that_place(index: SearchIndex) -> None:
    result = index.search("烟台有活吗", now=NOW)
    assert [h.vacancy_id for h in result.hits] == ["f1"]
    assert index.is_job_query("烟台有活吗")


def test_paging_and_total(index: SearchIndex) -> None:
    first = index.search("焊工", limit=1, now=NOW)
    second = index.search("焊工", limit=1, offset=1, now=NOW)
    assert first.total == second.total == 2
    assert {first.hits[0].vacancy_id, second.hits[0].vacancy_id} == {"w1", "w2"}
    assert index.search("焊工", limit=1, offset=2, now=NOW).hits == []


def test_min_pay_in_monthly_terms(index: SearchIndex) -> None:
    index.upsert(
        vacancy("w3", "电焊工", salary_min=300, salary_max=400, salary_unit=SalaryUnit.day), NOW
    )
    index.upsert(vacancy("w4", "电焊工", salary_min=None, salary_max=None), NOW)
    assert set(ids(index, "电焊工", min_pay=8000)) == {"w3"}  # 400 a day is 10,400 a month
    assert "w4" not in ids(index, "电焊工", min_pay=1)
    assert "w4" in ids(index, "电焊工")


def test_newest_first_among_equals(index: SearchIndex) -> None:
    index.upsert(vacancy("w0", "电焊工", posted_at=NOW - timedelta(hours=1)), NOW)
    assert ids(index, "电焊工")[:2] == ["w0", "w1"]


def test_upsert_replaces_and_remove_drops(index: SearchIndex) -> None:
    index.upsert(vacancy("w1", "叉车工", "烟台", province="山东"), NOW)
    assert "w1" not in ids(index, "电焊工")
    assert set(ids(index, "叉车")) == {"f1", "w1"}
    assert index.remove("f1")
    assert not index.remove("f1")
    assert ids(index, "叉车") == ["w1"]
    index.remove("w1")
    assert ids(index, "叉车") == []
    assert index.title_count == 7


def test_closed_and_expired_vacancies_are_not_indexed(index: SearchIndex) -> None:
    assert not index.upsert(vacancy("w1", "电焊工", status=VacancyStatus.closed), NOW)
    assert "w1" not in index
    assert not index.upsert(vacancy("w9", "电焊工", expires_at=NOW - timedelta(seconds=1)), NOW)
    assert "w9" not in index


def test_vacancies_expire_while_indexed(index: SearchIndex) -> None:
    index.upsert(vacancy("w5", "电焊工", expires_at=NOW + timedelta(hours=1)), NOW)
    assert "w5" in ids(index, "电焊工")
    later = NOW + timedelta(hours=2)
    assert "w5" not in [h.vacancy_id for h in index.search("电焊工", now=later).hits]
    assert "w5" not in index
    # An expiry pushed back keeps it: the old deadline in the heap is ignored.
    index.upsert(vacancy("w6", "电焊工", expires_at=NOW + timedelta(hours=1)), NOW)
    index.upsert(vacancy("w6", "电焊工", expires_at=NOW + timedelta(days=5)), NOW)
    assert index.expire(later) == 0
    assert "w6" in index


def test_is_current_tells_what_a_reload_must_change(index: SearchIndex) -> None:
    assert index.is_current(vacancy("w1", "电焊工"), NOW)
    assert not index.is_current(vacancy("w1", "焊工"), NOW)
    assert not index.is_current(vacancy("new", "焊工"), NOW)
    assert index.is_current(vacancy("gone", "焊工", status=VacancyStatus.closed), NOW)
    assert "w1" in index.ids()


def test_scores_are_in_range(index: SearchIndex) -> None:
    for text in ["焊工", "电汗工", "dianhangong", "保姆", "烟台有活吗"]:
        for hit in index.search(text, now=NOW).hits:
            assert 0 <= hit.score <= 100


def test_popular_titles_for_the_no_result_hint(index: SearchIndex) -> None:
    index.upsert(vacancy("w7", "急招电焊工（包吃住）"), NOW)
    assert index.popular(1) == [("电焊工", 2)]  # decorated titles count as the plain one
    assert index.popular(5, city="安康") == [("住家保姆", 1), ("家政服务员", 1), ("服务员", 1)]
    assert index.popular(city="火星") == []


def test_hits_carry_the_vacancys_own_title(index: SearchIndex) -> None:
    index.upsert(vacancy("w8", "天津急招电焊工（包吃住）", posted_at=NOW), NOW)
    hit = index.search("电焊工", now=NOW).hits[0]
    assert (hit.vacancy_id, hit.title, hit.city) == ("w8", "天津急招电焊工（包吃住）", "天津")
    assert index.title_count == 9  # the same title as 电焊工


def test_long_or_hostile_messages_are_cheap_and_not_queries(index: SearchIndex) -> None:
    for text in ["有没有电焊工的活" * 100, "a" * 5000, "dianhangong" * 400]:
        assert not index.is_job_query(text)
        index.search(text, now=NOW)  # reads only the start; must not blow up
    assert not index.is_job_query("急招电焊工10名，月薪8000，包吃住，电话13812345678")
