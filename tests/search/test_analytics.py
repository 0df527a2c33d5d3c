"""SearchAnalytics against a real Redis."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.search.analytics import RETENTION, QueryCount, SearchAnalytics, query_text

MONDAY = datetime(2026, 11, 16, 4, tzinfo=UTC)  # 12:00 in China


async def test_summary_counts_days_zero_results_and_top_queries(redis: Redis, keys: Keys) -> None:
    analytics = SearchAnalytics(redis, keys)
    for text, hits in [("电焊工", 3), ("電焊工", 5), ("宇航员", 0), ("保安", 2)]:
        await analytics.record(text, hits, MONDAY)
    await analytics.record("/jobs 宇航员", 0, MONDAY + timedelta(days=1))
    await analytics.record("电焊工", 1, MONDAY + timedelta(days=1))

    summary = await analytics.summary(days=3, top=2, now=MONDAY + timedelta(days=1))
    assert [(d.day, d.searches, d.zero_results) for d in summary.days] == [
        (date(2026, 11, 15), 0, 0),
        (date(2026, 11, 16), 4, 1),
        (date(2026, 11, 17), 2, 1),
    ]
    assert summary.searches == 6
    assert summary.zero_results == 2
    assert summary.top_queries == [QueryCount("电焊工", 3), QueryCount("宇航员", 2)]
    assert summary.top_zero_result == [QueryCount("宇航员", 2)]


async def test_days_follow_china_time(redis: Redis, keys: Keys) -> None:
    analytics = SearchAnalytics(redis, keys)
    late_utc = datetime(2026, 11, 16, 17, tzinfo=UTC)  # already the 17th in China
    await analytics.record("保安", 1, late_utc)
    summary = await analytics.summary(days=1, now=late_utc)
    assert summary.days[0].day == date(2026, 11, 17)
    assert summary.days[0].searches == 1


async def test_keys_expire_and_scratch_is_removed(redis: Redis, keys: Keys) -> None:
    analytics = SearchAnalytics(redis, keys)
    await analytics.record("保安", 0, MONDAY)
    await analytics.summary(days=2, now=MONDAY)
    found = [key async for key in redis.scan_iter(match=keys.pattern)]
    assert sorted(found) == sorted(
        [
            keys.search_counts("2026-11-16"),
            keys.search_queries("2026-11-16"),
            keys.search_zero("2026-11-16"),
        ]
    )
    for key in found:
        ttl = await redis.ttl(key)
        assert 0 < ttl <= RETENTION.total_seconds()


async def test_empty_query_counts_the_search_only(redis: Redis, keys: Keys) -> None:
    analytics = SearchAnalytics(redis, keys)
    await analytics.record("？？", 0, MONDAY)
    summary = await analytics.summary(days=1, now=MONDAY)
    assert summary.searches == 1
    assert summary.top_queries == []


def test_query_text() -> None:
    assert query_text("/jobs 電焊工！") == "电焊工"
    assert query_text("  天津，电焊工 ") == "天津 电焊工"
    assert len(query_text("焊" * 500)) == 60


async def test_personal_data_typed_as_a_query_is_counted_not_kept(
    redis: Redis, keys: Keys
) -> None:
    analytics = SearchAnalytics(redis, keys)
    for text in ("我的电话 138-1234-5678", "身份证 150102199001011234", "wang@example.com 保安"):
        await analytics.record(text, 0, now=MONDAY)
    await analytics.record("天津 电焊工", 3, now=MONDAY)
    summary = await analytics.summary(days=1, now=MONDAY)
    listed = str(summary)
    assert "1234" not in listed and "example" not in listed
    assert "天津" in listed  # ordinary queries are still listed
