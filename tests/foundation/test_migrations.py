"""The data migration at startup, on data written by the code before addresses.

``fixtures/v0_layout.json`` was written by that code's own repositories (see
``fixtures/make_v0_layout.py``): chat ids in the group hashes and set, in a broadcast's
states, queue, addresses and unknown set, and in a dead worker's held set.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from redis.asyncio import Redis

from jobfeed.applications.repository import ApplicationRepository
from jobfeed.broadcast.liveness import WorkerLiveness
from jobfeed.broadcast.models import ChannelProgress
from jobfeed.broadcast.plans import BroadcastPlans, PlanItem
from jobfeed.channels import Address
from jobfeed.groups import GroupRepository
from jobfeed.keys import Keys
from jobfeed.migrations import CURRENT_VERSION, DataVersionError, data_version, migrate
from jobfeed.models import utcnow
from tests.applications.factories import draft
from tests.broadcast.conftest import open_rig, per_chat
from tests.conftest import redis_url
from tests.harness import TEST_TOKEN

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "fixtures" / "v0_layout.json"
DEAD = "dead-host:1:abcdef"
TG = "telegram"


async def load_v0(redis: Redis, keys: Keys) -> None:
    for name, value in json.loads(FIXTURE.read_text(encoding="utf-8")).items():
        key = f"{keys.prefix}:{name}"
        [(kind, data)] = value.items()
        if kind == "string":
            await redis.set(key, data)
        elif kind == "hash":
            await redis.hset(key, mapping=data)
        elif kind == "list":
            await redis.rpush(key, *data)
        elif kind == "set":
            await redis.sadd(key, *data)
        else:
            await redis.zadd(key, dict(data))


async def snapshot(redis: Redis, keys: Keys) -> dict[str, object]:
    found: dict[str, object] = {}
    async for key in redis.scan_iter(match=keys.pattern):
        kind = await redis.type(key)
        if kind == "hash":
            found[key] = await redis.hgetall(key)
        elif kind == "list":
            found[key] = await redis.lrange(key, 0, -1)
        elif kind == "set":
            found[key] = await redis.smembers(key)
        elif kind == "zset":
            found[key] = await redis.zrange(key, 0, -1, withscores=True)
        else:
            found[key] = await redis.get(key)
    return found


async def test_old_data_reads_correctly_after_migrating_twice(redis: Redis, keys: Keys) -> None:
    await load_v0(redis, keys)
    assert await data_version(redis, keys) == 0
    assert await migrate(redis, keys) == CURRENT_VERSION == 2
    once = await snapshot(redis, keys)
    await redis.delete(keys.data_version)  # as if cut off before recording its version
    assert await migrate(redis, keys) == 2
    assert await snapshot(redis, keys) == once  # each step is idempotent
    legacy = re.compile(rf"{keys.prefix}:group:(migrated:)?-?[0-9]+")
    assert not [key for key in once if legacy.fullmatch(key)]

    groups = GroupRepository(redis, keys)
    everyone = await groups.all()
    assert {str(g.address) for g in everyone} == {
        f"{TG}:-100100000000{n}" for n in (1, 2, 3, 4, 6)
    } | {f"{TG}:-1009000000005"}
    assert all(g.channel == TG and isinstance(g.chat_id, int) for g in everyone)
    kicked = await groups.get(Address(TG, "-1001000000006"))
    assert kicked is not None and not kicked.active and kicked.inactive_reason == "kicked"
    assert await groups.get(-1001000000005) is None
    assert await groups.migrated_to(-1001000000005) == -1009000000005
    moved = await groups.get(-1009000000005)
    assert moved is not None and moved.title == "烟台求职群5" and moved.city == "烟台"

    plans = BroadcastPlans(redis, keys)
    done = await plans.progress("2")
    assert done is not None and done.unknown_chats == [-1001000000002]
    assert done.by_channel == {TG: ChannelProgress(targeted=2, delivered=1, failed=1)}
    [lost, posted] = await plans.outcomes("2")  # by chat id, as numbers
    assert (posted.channel, posted.chat_id, posted.address, posted.message_id) == (
        TG, -1001000000001, -1009000000001, 9
    )  # fmt: skip
    assert (lost.chat_id, lost.state, lost.reason) == (-1001000000002, "failed", "unknown_outcome")
    assert await plans.delivered_posts("2") == [
        PlanItem(Address(TG, "-1001000000001"), Address(TG, "-1009000000001"), 9)
    ]
    half = await plans.progress("1")
    assert half is not None and (half.targeted, half.delivered, half.pending) == (6, 1, 5)
    assert half.by_channel == {TG: ChannelProgress(targeted=6, delivered=1)}
    assert await WorkerLiveness(redis, keys).held(DEAD) == {
        f"1|{TG}:-1001000000002",
        f"1|{TG}:-1001000000003",
    }


async def test_a_half_done_broadcast_resumes_exactly_once_per_group(
    redis: Redis, keys: Keys
) -> None:
    await load_v0(redis, keys)
    await migrate(redis, keys)
    await migrate(redis, keys)
    async with open_rig(redis, keys, speed=10.0) as rig:
        for group in await rig.groups.all():
            rig.sim.add_chat(int(group.chat_id), title=group.title)
        [p] = await rig.run("1")  # the dead worker's tasks are taken over first

    # Delivered before: not again; inactive: skipped; the rest exactly once.
    assert per_chat(rig.sim) == {
        -1001000000002: 1, -1001000000003: 1, -1001000000004: 1, -1009000000005: 1
    }  # fmt: skip
    assert (p.delivered, p.skipped, p.failed, p.pending) == (5, {"inactive": 1}, {}, 0)
    assert (p.unknown, p.resent) == (1, 1)  # the send in flight when its worker died
    assert p.by_channel == {TG: ChannelProgress(targeted=6, delivered=5, skipped=1)}


async def test_processes_starting_together_migrate_once(redis: Redis, keys: Keys) -> None:
    await load_v0(redis, keys)
    versions = await asyncio.gather(*(migrate(redis, keys) for _ in range(4)))
    assert versions == [2, 2, 2, 2]
    together = await snapshot(redis, keys)
    await redis.delete(keys.data_version)
    await migrate(redis, keys)
    assert await snapshot(redis, keys) == together
    assert await redis.exists(keys.data_migration_lock) == 0


async def test_data_newer_than_the_code_is_refused(redis: Redis, keys: Keys) -> None:
    await redis.set(keys.data_version, "3")
    with pytest.raises(DataVersionError, match="newer than this code knows"):
        await migrate(redis, keys)
    env = {
        "BOT_TOKEN": TEST_TOKEN, "REDIS_URL": redis_url(), "REDIS_PREFIX": keys.prefix,
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT),
    }  # fmt: skip
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "worker",
        env=env, cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, stderr = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 2
    lines = stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "version 3, newer than this code knows (2)" in lines[0], lines
    assert await redis.get(keys.data_version) == "3"  # untouched


async def test_applications_filed_before_the_source_index_are_counted_per_source(
    redis: Redis, keys: Keys
) -> None:
    repository = ApplicationRepository(redis, keys, retention_days=180)
    chat, web = draft(1, "v-1"), draft(-2, "v-1", source="web")
    for filed in (chat, web, draft(3, "v-2")):
        await repository.submit(filed)
    # As the code before the index left them: no index per source, version 1.
    await redis.delete(
        keys.application_sources, *(keys.applications_by_source(s) for s in ("telegram", "web"))
    )
    await redis.set(keys.data_version, "1")
    start, end = utcnow() - timedelta(hours=1), utcnow() + timedelta(hours=1)
    assert await repository.count_by_source(start, end) == {}

    assert await migrate(redis, keys) == 2
    assert await repository.count_by_source(start, end) == {"telegram": 2, "web": 1}
    await repository.submit(draft(4, "v-1", source="web"))  # filed since: indexed at once
    assert await repository.count_by_source(start, end) == {"telegram": 2, "web": 2}
    assert await repository.count_by_source(end, end + timedelta(days=1)) == {}
