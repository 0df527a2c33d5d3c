"""LiveIndex against a real Redis and the real vacancy repository."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import pytest
from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.models import Vacancy, VacancyStatus, utcnow
from jobfeed.search.live import LiveIndex
from jobfeed.vacancies import VacancyRepository
from tests.search.conftest import make_vacancy

POLL = 0.2


async def eventually(condition: Callable[[], bool], within: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


def fresh(vacancy_id: str, title: str, city: str = "天津", province: str = "天津") -> Vacancy:
    now = utcnow()
    posted, expires = now - timedelta(hours=1), now + timedelta(days=9)
    return make_vacancy(
        vacancy_id, title, city, province=province, posted_at=posted, expires_at=expires
    )


@pytest.fixture
def repository(redis: Redis, keys: Keys) -> VacancyRepository:
    return VacancyRepository(redis, keys)


@pytest.fixture
async def live(
    repository: VacancyRepository, redis: Redis, keys: Keys
) -> AsyncIterator[LiveIndex]:
    await repository.save_many([fresh("a1", "电焊工"), fresh("a2", "保安", "包头", "内蒙古")])
    async with LiveIndex(repository, redis, keys, poll_interval=POLL) as running:
        yield running


def found(live: LiveIndex, text: str) -> list[str]:
    return [h.vacancy_id for h in live.index.search(text).hits]


async def test_loads_everything_at_start(live: LiveIndex) -> None:
    assert live.index.ids() == {"a1", "a2"}
    assert found(live, "电焊") == ["a1"]


async def test_follows_saves_and_closes(live: LiveIndex, repository: VacancyRepository) -> None:
    await repository.save(fresh("a3", "叉车司机"))
    await eventually(lambda: found(live, "叉车") == ["a3"])
    await repository.save(fresh("a1", "木工"))  # retitled
    await eventually(lambda: found(live, "电焊") == [] and found(live, "木工") == ["a1"])
    await repository.set_status("a2", VacancyStatus.closed)
    await eventually(lambda: "a2" not in live.index)
    assert live.reloads == 1  # all through the channel, no full reload


async def test_deleted_vacancy_leaves(
    live: LiveIndex, redis: Redis, keys: Keys, repository: VacancyRepository
) -> None:
    await redis.hdel(keys.vacancies, "a1")
    await redis.publish(keys.vacancies_changes, "a1")
    await eventually(lambda: "a1" not in live.index)


async def test_missed_announcements_are_caught_by_the_version_poll(
    live: LiveIndex, redis: Redis, keys: Keys
) -> None:
    # A change whose announcement was lost (as while pub/sub reconnects): stored and
    # counted, never published.
    lost = fresh("a4", "月嫂")
    async with redis.pipeline(transaction=True) as pipe:
        pipe.hset(keys.vacancies, lost.id, lost.model_dump_json())
        pipe.incr(keys.vacancies_version)
        await pipe.execute()
    # A reload fills the index before it counts itself (it yields between chunks): wait
    # for the count, not for the vacancy, or the check can land in between.
    await eventually(lambda: live.reloads >= 2, within=10 * POLL + 2)
    assert "a4" in live.index


async def test_a_reset_version_reloads(live: LiveIndex, redis: Redis, keys: Keys) -> None:
    await redis.set(keys.vacancies_version, 5)
    await live.check()  # the next poll expects five announcements
    await redis.set(keys.vacancies_version, 0)  # e.g. Redis restored from an old snapshot
    reloads = live.reloads
    await live.check()
    assert live.reloads == reloads + 1


async def test_periodic_full_reload(
    repository: VacancyRepository, redis: Redis, keys: Keys
) -> None:
    await repository.save(fresh("b1", "电工"))
    async with LiveIndex(
        repository, redis, keys, poll_interval=POLL, full_reload_interval=POLL
    ) as running:
        await eventually(lambda: running.reloads >= 3)
        assert running.index.ids() == {"b1"}


async def test_stop_is_clean_and_idempotent(live: LiveIndex) -> None:
    await live.stop()
    await live.stop()
    assert not [t for t in asyncio.all_tasks() if t.get_name().startswith("live-index")]


async def test_a_bad_record_does_not_stop_following(
    live: LiveIndex, redis: Redis, keys: Keys, repository: VacancyRepository
) -> None:
    await redis.hset(keys.vacancies, "bad", "{not json")
    await redis.publish(keys.vacancies_changes, "bad")
    await repository.save(fresh("a5", "木工"))
    await eventually(lambda: "a5" in live.index)
