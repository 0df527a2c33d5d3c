"""Filing, reading, status changes, retention and forgetting against a real Redis."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from redis.asyncio import Redis

from jobfeed.applications.models import AccessAction, ApplicationStatus
from jobfeed.applications.repository import DAY, ApplicationRepository
from jobfeed.keys import Keys
from jobfeed.models import utcnow
from tests.applications.factories import draft, resume

RETENTION = 30


def repo(redis: Redis, keys: Keys) -> ApplicationRepository:
    return ApplicationRepository(redis, keys, RETENTION)


async def test_one_application_per_applicant_and_vacancy(redis: Redis, keys: Keys) -> None:
    applications = repo(redis, keys)
    results = await asyncio.gather(*(applications.submit(draft(1)) for _ in range(10)))
    assert {a.number for a in results} == {results[0].number}
    other = await applications.submit(draft(1, "crane-2"))
    assert other.number != results[0].number
    assert [a.number for a in await applications.for_applicant(1)] == [
        other.number,
        results[0].number,
    ]
    total, page = await applications.for_vacancy("weld-1")
    assert total == 1 and page[0].resume is not None
    assert page[0].resume.model_dump(exclude={"updated_at"}) == draft(1).resume.model_dump(
        exclude={"updated_at"}
    )
    assert (await applications.for_recruiter(700001))[0] == 2
    assert await applications.count() == 2


async def test_unqualified_applications_are_screened_out(redis: Redis, keys: Keys) -> None:
    application = await repo(redis, keys).submit(draft(2, qualified=False))
    assert application.status is ApplicationStatus.screened_out and not application.qualified
    stored = await repo(redis, keys).get(application.number)
    assert stored is not None and stored.screening[0].answer == "是"


async def test_personal_data_expires_with_the_retention(redis: Redis, keys: Keys) -> None:
    applications = repo(redis, keys)
    application = await applications.submit(draft(3))
    for key in (keys.resume(3), keys.application_personal(application.number)):
        ttl = await redis.ttl(key)
        assert RETENTION * DAY - 5 < ttl <= RETENTION * DAY
    assert await redis.ttl(keys.application(application.number)) == -1  # statistics stay
    await redis.delete(keys.application_personal(application.number))  # as if expired
    expired = await applications.get(application.number)
    assert expired is not None and expired.resume is None and expired.forgotten
    await applications.save_resume(resume(4))
    assert RETENTION * DAY - 5 < await redis.ttl(keys.resume(4)) <= RETENTION * DAY


async def test_status_changes_are_idempotent(redis: Redis, keys: Keys) -> None:
    applications = repo(redis, keys)
    number = (await applications.submit(draft(5))).number
    first = await asyncio.gather(
        *(applications.set_status(number, ApplicationStatus.hired, "telegram:1") for _ in range(5))
    )
    assert sum(changed for _, changed in first) == 1
    assert [h.status for h in await applications.history(number)] == [ApplicationStatus.hired]
    assert await applications.set_status(999_999, ApplicationStatus.hired, "telegram:1") == (
        None,
        False,
    )


async def test_forget_scrubs_every_application_in_one_go(redis: Redis, keys: Keys) -> None:
    applications = repo(redis, keys)
    numbers = [(await applications.submit(draft(6, v))).number for v in ("a", "b", "c")]
    keep = await applications.submit(draft(7))
    assert sorted(await applications.forget(6)) == sorted(numbers)
    assert await applications.get_resume(6) is None
    assert await applications.for_applicant(6) == []
    assert await applications.applied_to(6, "a") is None
    for number in numbers:
        gone = await applications.get(number)
        assert gone is not None and gone.resume is None and gone.applicant_id is None
        assert gone.status is ApplicationStatus.submitted  # the statistics survive
    assert (await applications.get(keep.number)).resume is not None  # type: ignore[union-attr]
    assert await applications.forget(6) == []
    # Applying again after forgetting files a new application.
    again = await applications.submit(draft(6, "a"))
    assert again.number not in numbers


async def test_access_log(redis: Redis, keys: Keys) -> None:
    applications = repo(redis, keys)
    one = (await applications.submit(draft(8))).number
    two = (await applications.submit(draft(9))).number
    await applications.log_access([one, two], "api", AccessAction.exported)
    await applications.log_access([one], "telegram:700001", AccessAction.viewed)
    log = await applications.access_log(one)
    assert [(r.actor, r.action) for r in log] == [
        ("telegram:700001", AccessAction.viewed),
        ("api", AccessAction.exported),
    ]
    assert len(await applications.access_log()) == 3
    assert len(await applications.access_log(limit=1)) == 1


async def test_cards_and_delivery_marks(redis: Redis, keys: Keys) -> None:
    applications = repo(redis, keys)
    number = (await applications.submit(draft(10))).number
    assert not await applications.is_delivered(number)
    await applications.add_card(number, 700001, 5, "text")
    await applications.add_card(number, 700001, 6, "file")
    await applications.mark_delivered(number)
    assert await applications.is_delivered(number)
    assert sorted(await applications.cards(number)) == [(700001, 5, "text"), (700001, 6, "file")]


async def test_counts_for_statistics(redis: Redis, keys: Keys) -> None:
    applications = repo(redis, keys)
    first = await applications.submit(draft(11))
    await applications.submit(draft(12))
    await applications.submit(draft(13, "other"))
    assert await applications.count_for_vacancy("weld-1") == 2
    assert await applications.count_for_vacancy("nothing") == 0
    start, end = first.created_at - timedelta(seconds=1), utcnow() + timedelta(seconds=1)
    assert await applications.count_between(start, end) == 3
    assert await applications.count_between(end, end + timedelta(days=1)) == 0
    total, page = await applications.recent(0, 2)
    assert total == 3 and [a.resume.user_id for a in page if a.resume] == [13, 12]
