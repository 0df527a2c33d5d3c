"""Matching a new vacancy to availabilities: the search's understanding read backwards, and
the inverted index giving exactly what a scan of every availability gives."""

from __future__ import annotations

import random
from datetime import date, timedelta
from functools import cache

from jobfeed.matching.matcher import MatchIndex
from jobfeed.matching.models import Availability, AvailabilityConsent, from_query
from jobfeed.models import Vacancy
from jobfeed.search.index import SearchIndex

TODAY = date(2026, 3, 1)
CONSENT = AvailabilityConsent(retention_days=180)


@cache
def search() -> SearchIndex:
    return SearchIndex()


def wish(text: str, person: int, **changes: object) -> Availability:
    made = from_query(
        search().parse(text),
        person=person,
        places=search().places,
        city=None,
        min_pay=None,
        consent=CONSENT,
        today=TODAY,
    )
    assert made is not None, text
    return made.model_copy(update=changes)


def vacancy(title: str, city: str, province: str, pay: int | None = None) -> Vacancy:
    return Vacancy(
        id=f"v{abs(hash((title, city, pay))) % 10**9}",
        title=title,
        employer="某公司",
        city=city,
        province=province,
        salary_min=pay,
        salary_max=pay,
    )


def people(index: MatchIndex, v: Vacancy, today: date = TODAY) -> set[int]:
    return {m.person for m in index.match(v, today)}


def test_a_query_becomes_trades_place_and_pay() -> None:
    a = wish("通辽电焊工8000以上", 1)
    assert a.trades == ("电焊工",)
    assert [(p.name, p.province) for p in a.places] == [("通辽", "内蒙古")]
    assert a.min_pay == 8000
    assert (
        from_query(
            search().parse("谢谢"),
            person=1,
            places=search().places,
            city=None,
            min_pay=None,
            consent=CONSENT,
            today=TODAY,
        )
        is None
    )  # nothing to wish for: no alert for everything


def test_trade_synonyms_places_nearness_and_pay() -> None:
    index = MatchIndex(search())
    index.upsert(wish("通辽 电焊工", 1))  # a prefecture: its districts and counties too
    index.upsert(wish("电焊工 8000以上", 2))  # anywhere, paying enough
    index.upsert(wish("内蒙古 保安", 3))  # a province
    index.upsert(wish("天津 厨师", 4))
    index.upsert(wish("焊工", 5, alerts=False))  # stopped
    assert people(index, vacancy("急招氩弧焊工（包吃住）", "科尔沁区", "内蒙古", 9000)) == {1, 2}
    assert people(index, vacancy("电焊工", "通辽", "内蒙古", 6000)) == {1}  # pays too little
    assert people(index, vacancy("电焊工", "通辽", "内蒙古")) == {1}  # no pay stated
    assert people(index, vacancy("保安员", "包头", "内蒙古")) == {3}
    assert people(index, vacancy("保安", "天津", "天津")) == set()
    assert people(index, vacancy("中餐厨师", "天津", "天津", 7000)) == {4}
    assert people(index, vacancy("电工", "通辽", "内蒙古", 9000)) == set()  # not a welder


def test_available_from_and_one_match_per_person() -> None:
    index = MatchIndex(search())
    index.upsert(wish("电焊工", 1, available_from=TODAY + timedelta(days=3)))
    index.upsert(wish("焊工", 2))
    index.upsert(wish("通辽电焊工", 2))
    welder = vacancy("电焊工", "通辽", "内蒙古", 9000)
    assert [m.person for m in index.match(welder, TODAY)] == [2]
    assert people(index, welder, TODAY + timedelta(days=3)) == {1, 2}


def test_removing_and_replacing() -> None:
    index = MatchIndex(search())
    a = wish("通辽 电焊工", 1)
    index.upsert(a)
    welder = vacancy("电焊工", "通辽", "内蒙古", 9000)
    assert people(index, welder) == {1}
    index.upsert(a.model_copy(update={"alerts": False}))
    assert people(index, welder) == set() and len(index) == 0
    index.upsert(a)
    assert index.remove(a.id) and people(index, welder) == set()


def test_the_index_answers_as_a_scan_of_everyone() -> None:
    rng = random.Random(7)
    queries = [
        "电焊工", "焊工", "保安", "普工", "厨师", "叉车司机", "挖机", "月嫂", "服务员",
        "电工", "司机", "包装工", "瓦工", "木工", "shaoguo", "dianhangong",
    ]  # fmt: skip
    cities = [("通辽", "内蒙古"), ("包头", "内蒙古"), ("内蒙古", "内蒙古"), ("天津", "天津")]
    cities += [("烟台", "山东"), ("科尔沁区", "内蒙古"), ("", "")]
    availabilities = []
    for person in range(600):
        city, _ = rng.choice(cities)
        pay = rng.choice(["", "5000以上", "8000以上"])
        availabilities.append(wish(f"{city} {rng.choice(queries)} {pay}", person))
    index = MatchIndex(search())
    for a in availabilities:
        index.upsert(a)
    titles = ["电焊工", "氩弧焊工", "保安员", "普工", "中餐厨师", "叉车司机", "挖掘机司机"]
    titles += ["育婴师", "电工", "包装工", "货车司机"]
    for n in range(60):
        city, province = rng.choice(cities[:-1])
        v = vacancy(rng.choice(titles), city, province, rng.choice([None, 4000, 6000, 9000]))
        v = v.model_copy(update={"id": f"v{n}"})
        assert index.match(v, TODAY) == index.brute_force(availabilities, v, TODAY), v
