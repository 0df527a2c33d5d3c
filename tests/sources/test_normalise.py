"""One record -> one vacancy: what is kept as written, what is normalised, what is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from jobfeed.models import SalaryUnit, Vacancy, VacancyStatus
from jobfeed.sources.normalise import RecordError, SourceIdentity
from jobfeed.sources.records import RawRecord

from .conftest import make_normaliser

NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)
SOURCE = SourceIdentity("site", "st")


def normalise(**fields: Any) -> Vacancy:
    base: dict[str, Any] = {"id": "123", "title": "焊工", "employer": "草原铝业有限公司"}
    base.update(city="包头", province="内蒙古")
    base.update(fields)
    record = RawRecord("line 2", {k: v for k, v in base.items() if v is not None})
    return make_normaliser().vacancy(record, SOURCE, NOW)


def test_traditional_title_is_kept_as_written_and_places_become_simplified() -> None:
    vacancy = normalise(title="電焊工", city=None, province=None, place="內蒙古包頭市")
    assert vacancy.title == "電焊工"
    assert (vacancy.city, vacancy.province) == ("包头", "内蒙古")


@pytest.mark.parametrize(
    ("fields", "city", "province"),
    [
        ({"city": "烟台市", "province": "山东省"}, "烟台", "山东"),
        ({"city": None, "province": None, "place": "山东省烟台市莱山区"}, "烟台", "山东"),
        ({"city": "朝阳区", "province": "北京"}, "北京", "北京"),
        ({"city": "紫阳县", "province": None}, "紫阳", "陕西"),
        ({"city": "红寺堡", "province": "宁夏"}, "红寺堡", "宁夏"),
    ],
)
def test_places_are_normalised_to_city_and_province(
    fields: dict[str, Any], city: str, province: str
) -> None:
    vacancy = normalise(**fields)
    assert (vacancy.city, vacancy.province) == (city, province)


def test_ids_are_namespaced_per_source_and_unsafe_ids_are_digested() -> None:
    assert normalise().id == "st-123"
    long = normalise(id="https://jobs.example.org/职位/123?from=rss").id
    assert long.startswith("st-h") and len(long) <= 40
    assert SourceIdentity("file").vacancy_id("D-00042") == "D-00042"


def test_pay_phone_headcount_and_benefits_from_text() -> None:
    vacancy = normalise(
        salary="日结200",
        contact_phone="+86 139-1234-5678",
        headcount="3人",
        benefits="包吃包住、五险一金",
    )
    assert (vacancy.salary_min, vacancy.salary_max, vacancy.salary_unit) == (
        200,
        200,
        SalaryUnit.day,
    )
    assert vacancy.pay_text() == "200元/天"
    assert vacancy.contact_phone == "13912345678"
    assert vacancy.headcount == 3
    assert vacancy.benefits == ["包吃包住", "五险一金"]


def test_dates_and_the_default_expiry() -> None:
    vacancy = normalise(posted_at="2026年11月15日")
    assert vacancy.posted_at == datetime(2026, 11, 14, 16, 0, tzinfo=UTC)  # midnight in 上海
    assert vacancy.expires_at == vacancy.posted_at + timedelta(days=30)
    dated = normalise(posted_at="2026-11-15T10:00:00+08:00", expires_at="2026/12/31")
    assert dated.expires_at == datetime(2026, 12, 31, 16, 0, tzinfo=UTC)  # end of that day
    relative = normalise(posted_at="2026-11-15T10:00:00+08:00", expires_at="7天")
    assert relative.expires_at == relative.posted_at + timedelta(days=7)


def test_a_deadline_in_the_past_or_a_closed_status_is_not_active() -> None:
    assert normalise(expires_at="2026-01-01").status is VacancyStatus.expired
    assert normalise(status="已招满").status is VacancyStatus.closed
    assert normalise().status is VacancyStatus.active


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"title": None}, "missing title"),
        ({"employer": " "}, "missing employer"),
        ({"city": None, "province": None, "place": "面议"}, "no known city"),
        ({"city": "内蒙古", "province": None}, "is a province"),
        ({"contact_phone": "12345"}, "contact phone"),
        ({"salary": "月薪5"}, "not a plausible"),
        ({"posted_at": "上个月"}, "cannot read the date"),
        ({"salary_unit": "week"}, "salary unit"),
    ],
)
def test_bad_records_are_refused_with_the_reason(fields: dict[str, Any], reason: str) -> None:
    with pytest.raises(RecordError, match=reason):
        normalise(**fields)
