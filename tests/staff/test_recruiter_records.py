"""Recruiter records under concurrent writes: each application gets its own version,
and of many admins deciding at once exactly one decides."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.roles import RecruiterRepository, RecruiterStatus


async def test_concurrent_applications_each_get_a_version(redis: Redis, keys: Keys) -> None:
    recruiters = RecruiterRepository(redis, keys)
    filed = await asyncio.gather(*(recruiters.apply(7, "王经理", f"公司{n}") for n in range(8)))
    assert sorted(r.version for r, pending in filed if pending) == list(range(1, 9))
    stored = await recruiters.get(7)
    assert stored is not None and stored.version == 8


async def test_of_admins_deciding_at_once_one_decides(redis: Redis, keys: Keys) -> None:
    recruiters = RecruiterRepository(redis, keys)
    await recruiters.apply(8, "李经理", "安泰运输公司")
    decisions = await asyncio.gather(
        *(recruiters.decide(8, approve=n % 2 == 0, actor=f"telegram:{n}") for n in range(10))
    )
    [winner] = [d for d in decisions if d.changed]
    assert winner.recruiter is not None
    stored = await recruiters.get(8)
    assert stored == winner.recruiter
    assert stored.status in (RecruiterStatus.approved, RecruiterStatus.rejected)
    # An approved recruiter's record is left alone by a new application.
    if stored.approved:
        assert await recruiters.apply(8, "李经理", "别的公司") == (stored, False)
