"""The search index of a process: loaded by its background job, following, stopped with it."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from redis.asyncio import Redis

from bot.searching import SearchFollower, open_live_index
from jobfeed.keys import Keys
from jobfeed.models import Vacancy, utcnow
from jobfeed.places import Places
from jobfeed.vacancies import VacancyRepository


def vacancy(vacancy_id: str, title: str) -> Vacancy:
    now = utcnow()
    return Vacancy(
        id=vacancy_id,
        title=title,
        employer="测试公司",
        city="天津",
        province="天津",
        posted_at=now - timedelta(hours=1),
        expires_at=now + timedelta(days=3),
    )


async def test_loads_at_start_follows_changes_and_stops(redis: Redis, keys: Keys) -> None:
    repository = VacancyRepository(redis, keys)
    await repository.save(vacancy("f1", "电焊工"))
    live = await open_live_index(repository, redis, keys, Places.load())
    assert not live.loaded.is_set() and len(live.index) == 0
    stop = asyncio.Event()
    job = asyncio.create_task(SearchFollower(live).run(stop))
    await asyncio.wait_for(live.loaded.wait(), 10)
    assert live.index.ids() == {"f1"}

    await repository.save(vacancy("f2", "保安"))
    for _ in range(250):
        if "f2" in live.index:
            break
        await asyncio.sleep(0.02)
    assert [h.vacancy_id for h in live.index.search("保安").hits] == ["f2"]

    stop.set()
    await asyncio.wait_for(job, 5)
    assert not [t for t in asyncio.all_tasks() if t.get_name().startswith("live-index")]


async def test_stops_cleanly_before_the_first_load(redis: Redis, keys: Keys) -> None:
    live = await open_live_index(VacancyRepository(redis, keys), redis, keys, Places.load())
    stop = asyncio.Event()
    stop.set()
    await asyncio.wait_for(SearchFollower(live).run(stop), 5)
    assert not live.loaded.is_set()
