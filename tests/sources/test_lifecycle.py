"""Expired and closed vacancies leave search and the listings; the sweeper finds them."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis

from jobfeed.expiry import ExpirySweeper
from jobfeed.keys import Keys
from jobfeed.models import Vacancy, VacancyStatus
from jobfeed.search.live import LiveIndex
from jobfeed.sources.importer import VacancyImporter
from jobfeed.sources.jsonl import parse_jsonl
from jobfeed.sources.normalise import SourceIdentity
from jobfeed.vacancies import VacancyRepository

from .samples import sample_rows, vacancy_json

SOON = datetime.now(UTC) + timedelta(hours=1)


async def until(condition: Callable[[], bool], within: float = 3.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not condition():
        assert loop.time() < deadline, "condition not reached"
        await asyncio.sleep(0.01)


def search_ids(live: LiveIndex, text: str) -> set[str]:
    return {hit.vacancy_id for hit in live.index.search(text, limit=50).hits}


async def test_the_sweeper_expires_what_is_due_once_and_search_drops_it(
    redis: Redis, keys: Keys, vacancies: VacancyRepository
) -> None:
    rows = sample_rows()[:4]
    soon = [Vacancy.model_validate(r).model_copy(update={"expires_at": SOON}) for r in rows[:2]]
    later = [Vacancy.model_validate(r) for r in rows[2:]]
    await vacancies.save_many([*soon, *later])
    expired_seen: list[list[str]] = []

    async def on_expired(expired: list[Vacancy]) -> None:
        expired_seen.append(sorted(v.id for v in expired))

    async with LiveIndex(vacancies, redis, keys) as live:
        assert rows[0]["id"] in live.index
        clock = SOON + timedelta(seconds=1)
        sweeper = ExpirySweeper(vacancies, on_expired=on_expired, clock=lambda: clock)
        done = await sweeper.sweep()
        assert sorted(v.id for v in done) == sorted(v.id for v in soon)
        assert await sweeper.sweep() == []  # nothing twice
        assert expired_seen == [sorted(v.id for v in soon)]

        await until(lambda: not any(v.id in live.index for v in soon))
        assert all(v.id in live.index for v in later)
        stored = await vacancies.get(rows[0]["id"])
        assert stored is not None and stored.status is VacancyStatus.expired
        total, page = await vacancies.active_page()
        assert (total, {v.id for v in page}) == (2, {v.id for v in later})


async def test_a_vacancy_closed_by_its_feed_leaves_search_and_the_city_listing(
    redis: Redis, keys: Keys, vacancies: VacancyRepository, importer: VacancyImporter
) -> None:
    row = sample_rows()[0]  # 中餐厨师 in 烟台
    source = SourceIdentity("site")
    await importer.run(parse_jsonl([vacancy_json(row)], set()), source)
    async with LiveIndex(vacancies, redis, keys) as live:
        assert row["id"] in search_ids(live, "烟台 中餐厨师")
        assert (await vacancies.active_page("烟台"))[0] == 1

        report = await importer.run(
            parse_jsonl([vacancy_json(row, status="已招满")], set()), source
        )
        assert (report.updated, report.ended_ids) == (1, [row["id"]])
        await until(lambda: row["id"] not in live.index)
        assert row["id"] not in search_ids(live, "烟台 中餐厨师")
        assert (await vacancies.active_page("烟台"))[0] == 0


async def test_listings_follow_a_city_change_and_are_rebuilt_when_missing(
    redis: Redis, keys: Keys, vacancies: VacancyRepository
) -> None:
    vacancy = Vacancy.model_validate(sample_rows()[0])
    await vacancies.save(vacancy)
    await vacancies.save(vacancy.model_copy(update={"city": "包头", "province": "内蒙古"}))
    assert (await vacancies.active_page("烟台"))[0] == 0
    assert (await vacancies.active_page("包头"))[0] == 1

    # Written around the repository (an old deployment, a hand edit): rebuilt on start.
    other = Vacancy.model_validate(sample_rows()[1])
    await redis.hset(keys.vacancies, other.id, other.model_dump_json())
    assert await vacancies.ensure_listings() == 2
    assert (await vacancies.active_page())[0] == 2
    assert await vacancies.ensure_listings() == 0


async def test_a_traditional_title_is_kept_for_display_and_found_in_simplified(
    redis: Redis, keys: Keys, vacancies: VacancyRepository, importer: VacancyImporter
) -> None:
    row = sample_rows()[0]
    rows = [vacancy_json(row, id="T-1", title="電焊工", city="包頭市", province="內蒙古")]
    await importer.run(parse_jsonl(rows, set()), SourceIdentity("site"))
    stored = await vacancies.get("T-1")
    assert stored is not None and (stored.title, stored.city) == ("電焊工", "包头")
    async with LiveIndex(vacancies, redis, keys) as live:
        assert "T-1" in search_ids(live, "包头 电焊工")
