"""The alert queue and the availability repository against a real Redis: retries with
backoff then a dead letter, the day cap, applied vacancies, retention, the change stream."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from redis.asyncio import Redis

from jobfeed.applications.repository import ApplicationRepository
from jobfeed.keys import Keys
from jobfeed.matching.following import LiveMatches
from jobfeed.matching.matcher import MatchIndex
from jobfeed.matching.models import MAX_PER_PERSON, Availability, AvailabilityConsent
from jobfeed.matching.queue import MAX_ATTEMPTS, AlertQueue, Item
from jobfeed.matching.repository import AvailabilityRepository
from jobfeed.models import Vacancy
from tests.applications.factories import draft
from tests.matching.test_matcher import search

NOW = datetime(2026, 3, 1, 4, 0, tzinfo=UTC)
DAY = "20260301"


def availability(person: int, trade: str = "电焊工", **changes: object) -> Availability:
    return Availability(
        person=person,
        trades=(trade,),
        available_from=date(2026, 3, 1),
        consent=AvailabilityConsent(retention_days=30),
        **changes,  # type: ignore[arg-type]
    )


async def test_a_failing_alert_is_retried_with_backoff_then_dead_lettered(
    redis: Redis, keys: Keys
) -> None:
    queue = AlertQueue(redis, keys, 30)
    assert await queue.enqueue("v1", [7], NOW) == 1
    [item] = await queue.due(NOW)
    moment, delays = NOW, []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert await queue.claim(item, moment, day=DAY, cap=3, digest_due=NOW) == "send"
        assert await queue.claim(item, moment, day=DAY, cap=3, digest_due=NOW) == "taken"
        dead = await queue.failed(item, moment, "boom", day=DAY)
        assert dead is (attempt == MAX_ATTEMPTS)
        if not dead:
            score = await redis.zscore(keys.alerts_queue, item.name)
            assert score is not None
            delays.append(score - moment.timestamp())
            moment = datetime.fromtimestamp(score, UTC)
    assert delays == [5.0, 10.0, 20.0, 40.0]
    assert await queue.size() == 0
    assert (await queue.dead())[item.name]["attempts"] == MAX_ATTEMPTS
    assert await redis.get(keys.alerts_day(7, DAY)) == "0"  # failures do not count


async def test_the_cap_sends_the_rest_to_the_digest_and_applied_ones_are_dropped(
    redis: Redis, keys: Keys
) -> None:
    queue = AlertQueue(redis, keys, 30)
    applications = ApplicationRepository(redis, keys, 30)
    await applications.submit(draft(7, "v-applied"))
    assert await queue.enqueue("v-applied", [7], NOW) == 0  # applied: never queued
    for n in range(3):
        await queue.enqueue(f"v{n}", [7], NOW)
    assert await queue.enqueue("v0", [7], NOW) == 0  # never twice
    tomorrow = NOW + timedelta(days=1)
    outcomes = [
        await queue.claim(item, NOW, day=DAY, cap=2, digest_due=tomorrow)
        for item in await queue.due(NOW)
    ]
    assert outcomes == ["send", "send", "digest"]
    assert await queue.digest(7) == ["v2"]
    assert [i.name for i in await queue.due(tomorrow)] == ["a:7:v0", "a:7:v1", "d:7"]
    await applications.submit(draft(8, "v9"))
    await queue.enqueue("v9", [9], NOW)  # person 9 had not applied
    await redis.hset(keys.applicant_vacancies(9), "v9", "1")  # ... and then applies
    [late] = [i for i in await queue.due(NOW) if i.person == 9]
    assert await queue.claim(late, NOW, day=DAY, cap=2, digest_due=tomorrow) == "applied"
    assert Item.parse("d:7") == Item(7, None) and Item.parse("x:1") is None


async def test_repository_limits_stop_forget_and_retention(redis: Redis, keys: Keys) -> None:
    repo = AvailabilityRepository(redis, keys, 30)
    mine = [availability(1, f"工种{n}") for n in range(MAX_PER_PERSON)]
    for a in mine:
        assert await repo.save(a, NOW)
    assert not await repo.save(availability(1), NOW)  # one too many
    assert await repo.save(mine[0], NOW)  # replacing one is fine
    other = availability(2)
    await repo.save(other, NOW)
    assert await repo.alerted(1)
    assert await repo.stop(1) == MAX_PER_PERSON
    assert not await repo.alerted(1) and await repo.alerted(2)
    assert all(not a.alerts for a in await repo.of_person(1))
    assert not await repo.delete(2, mine[1].id)  # not theirs
    assert await repo.delete(1, mine[1].id)
    assert await repo.forget(1) == MAX_PER_PERSON - 1
    assert await repo.of_person(1) == [] and await repo.count() == 1
    assert await repo.expire(NOW + timedelta(days=29)) == 0
    assert await repo.expire(NOW + timedelta(days=31)) == 1
    assert await repo.count() == 0 and not await redis.exists(keys.person_availabilities(2))


async def test_every_process_follows_the_changes(redis: Redis, keys: Keys) -> None:
    repo = AvailabilityRepository(redis, keys, 30)
    first = availability(1)
    await repo.save(first, NOW)
    live = LiveMatches(MatchIndex(search()), repo, redis, keys)
    await live.load()
    welder = Vacancy(id="w", title="电焊工", employer="x", city="天津", province="天津")
    today = date(2026, 3, 1)
    assert [m.person for m in live.index.match(welder, today)] == [1]
    await repo.save(availability(2), NOW)
    await repo.stop(1)
    await live.sync()
    assert [m.person for m in live.index.match(welder, today)] == [2]
    await repo.forget(2)
    await live.sync()
    assert live.index.match(welder, today) == [] and len(live.index) == 0
