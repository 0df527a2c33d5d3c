"""The public web side: ``/feed.xml``, ``/jobs`` and ``/jobs/{id}`` on the running app."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from multidict import CIMultiDict
from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.models import Vacancy, VacancyStatus
from tests.conftest import redis_url
from tests.harness import System, running_system
from tests.sources.samples import sample_rows

NOW = datetime.now(UTC)
NASTY = '焊工 <script>alert("x")</script> & "学徒" \x01'


def vacancy(n: int, **changes: object) -> Vacancy:
    row = sample_rows()[n]
    base = Vacancy.model_validate(row).model_copy(
        update={
            "posted_at": NOW - timedelta(hours=n),
            "expires_at": NOW + timedelta(days=10),
        }
    )
    return base.model_copy(update=changes)


async def get(system: System, path: str, **headers: str) -> tuple[int, str, CIMultiDict[str]]:
    async with system.http.get(system.base_url + path, headers=headers) as response:
        return response.status, await response.text(), response.headers.copy()


@pytest.fixture
async def site(keys: Keys, redis: Redis) -> AsyncIterator[System]:
    async with running_system(keys, redis_url(), public_base_url="https://jobs.example.com") as s:
        yield s


async def test_feed_xml_lists_the_open_vacancies_newest_first_properly_escaped(
    site: System,
) -> None:
    nasty = vacancy(0, title=NASTY, description="月薪<8000> & 包吃住\x02")
    shown = [nasty, vacancy(1), vacancy(2)]
    gone = [
        vacancy(3, status=VacancyStatus.closed),
        vacancy(4, expires_at=NOW - timedelta(minutes=1)),
        vacancy(5, status=VacancyStatus.pending),
    ]
    await site.services.vacancies.save_many([*shown, *gone])

    status, body, headers = await get(site, "/feed.xml")  # no bearer token: public
    assert status == 200 and headers["Content-Type"].startswith("application/rss+xml")
    ET.fromstring(body.encode())  # well-formed XML, control characters and all
    feed = feedparser.parse(body)
    assert not feed.bozo
    assert [e.id for e in feed.entries] == [v.id for v in shown]
    first = feed.entries[0]
    assert first.title == f"{NASTY[:-1]} · {nasty.employer} · {nasty.city}"  # \x01 dropped
    assert first.link == f"https://jobs.example.com/jobs/{nasty.id}"
    assert "<script>" not in first.summary and "月薪&lt;8000&gt; &amp; 包吃住" in first.summary
    assert f"https://t.me/zhaopin_test_bot?start=apply_{nasty.id}" in first.summary

    etag = headers["ETag"]
    for _ in range(3):  # the expiry sweeper may record vacancy 4's end meanwhile: a new version
        status, _, again = await get(site, "/feed.xml", **{"If-None-Match": etag})
        if status == 304:
            break
        assert again["ETag"] != etag
        etag = again["ETag"]
    assert status == 304
    await site.services.vacancies.save(vacancy(6))
    status, body, _ = await get(site, "/feed.xml", **{"If-None-Match": etag})
    assert status == 200 and len(feedparser.parse(body).entries) == 4


async def test_feed_xml_by_city(site: System) -> None:
    yantai = vacancy(0)  # 烟台
    await site.services.vacancies.save_many([yantai, vacancy(0, id="X-1", city="包头")])
    _, body, _ = await get(site, "/feed.xml?city=烟台市")
    assert [e.id for e in feedparser.parse(body).entries] == [yantai.id]


async def test_jobs_pages_by_twenty_and_filters_by_city(site: System) -> None:
    many = [vacancy(0, id=f"T-{i:03d}", posted_at=NOW - timedelta(minutes=i)) for i in range(45)]
    await site.services.vacancies.save_many(
        [*many, vacancy(1, id="B-1", city="包头", province="内蒙古", title=NASTY)]
    )
    status, page1, _ = await get(site, "/jobs")
    assert status == 200 and '<meta name="viewport"' in page1
    assert "共 46 个在招职位，第 1/3 页" in page1
    assert page1.count('<article class="card">') == 20

    _, page3, _ = await get(site, "/jobs?page=3")
    assert page3.count('<article class="card">') == 6
    assert "<script>alert" not in page3 and "&lt;script&gt;alert" in page3
    assert 'href="/jobs?page=2"' in page3 and "下一页" not in page3

    _, baotou, _ = await get(site, "/jobs?city=包头市")
    assert "包头：共 1 个在招职位" in baotou and "/jobs/B-1" in baotou

    _, nowhere, _ = await get(site, "/jobs?city=拉萨")
    assert "拉萨暂时没有在招的职位" in nowhere

    status, bad, _ = await get(site, "/jobs?page=abc")
    assert status == 400 and "页码不对" in bad


async def test_a_job_page_has_the_apply_link_and_ended_ones_say_so(site: System) -> None:
    open_one = vacancy(0, title=NASTY)
    closed = vacancy(1, status=VacancyStatus.closed)
    expired = vacancy(2, expires_at=NOW - timedelta(hours=1))
    pending = vacancy(3, status=VacancyStatus.pending)
    await site.services.vacancies.save_many([open_one, closed, expired, pending])

    status, page, _ = await get(site, f"/jobs/{open_one.id}")
    assert status == 200
    assert f'href="https://t.me/zhaopin_test_bot?start=apply_{open_one.id}"' in page
    assert "&lt;script&gt;" in page and "<script>alert" not in page

    status, page, _ = await get(site, f"/jobs/{closed.id}")
    assert status == 410 and "已招满，停止报名" in page and "t.me/" not in page
    status, page, _ = await get(site, f"/jobs/{expired.id}")
    assert status == 410 and "已结束，停止报名" in page and "t.me/" not in page

    for missing in (pending.id, "NOPE-1", "..%2F..%2Fetc%2Fpasswd", "<b>"):
        status, page, _ = await get(site, f"/jobs/{missing}")
        assert status == 404 and "没有这个职位" in page


async def test_the_bot_username_setting_wins_over_get_me(keys: Keys, redis: Redis) -> None:
    async with running_system(keys, redis_url(), bot_username="@JobsHelperBot") as system:
        await system.services.vacancies.save(vacancy(0))
        _, page, _ = await get(system, f"/jobs/{vacancy(0).id}")
        assert f"https://t.me/JobsHelperBot?start=apply_{vacancy(0).id}" in page
