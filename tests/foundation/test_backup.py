"""``python -m bot backup`` / ``restore`` as real processes against real redis-servers:
a populated store (hashes, sets, sorted sets, a stream with its consumer group, expiring
keys) round-trips exactly, while a writer keeps writing; a non-empty prefix is refused."""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from jobfeed.groups import GroupRepository
from jobfeed.keys import Keys
from jobfeed.vacancies import VacancyRepository
from tests.broadcast.conftest import sample_groups, sample_vacancies
from tests.harness import TEST_TOKEN
from tests.redis_server import RedisServer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def servers(tmp_path: Path) -> AsyncIterator[tuple[RedisServer, RedisServer]]:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = RedisServer(tmp_path / "a"), RedisServer(tmp_path / "b")
    await first.start()
    await second.start()
    try:
        yield first, second
    finally:
        await first.kill()
        await second.kill()


async def bot(url: str, prefix: str, *args: str) -> tuple[int, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": TEST_TOKEN,
        "REDIS_URL": url,
        "REDIS_PREFIX": prefix,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return process.returncode, out.decode()


async def content(redis: Redis, key: bytes) -> object:
    kind = (await redis.type(key)).decode()
    if kind == "string":
        return await redis.get(key)
    if kind == "hash":
        return await redis.hgetall(key)
    if kind == "set":
        return await redis.smembers(key)
    if kind == "zset":
        return await redis.zrange(key, 0, -1, withscores=True)
    if kind == "list":
        return await redis.lrange(key, 0, -1)
    assert kind == "stream", kind
    groups = [(g["name"], g["last-delivered-id"]) for g in await redis.xinfo_groups(key)]
    return await redis.xrange(key), groups


async def snapshot(redis: Redis, keys: Keys) -> dict[str, tuple[object, bool]]:
    """Every key (without its prefix) -> its type-aware content and whether it expires."""
    found = {}
    async for key in redis.scan_iter(match=keys.pattern):
        name = key.decode()[len(keys.prefix) + 1 :]
        found[name] = (await content(redis, key), await redis.pttl(key) > 0)
    return found


async def test_a_populated_store_round_trips(
    servers: tuple[RedisServer, RedisServer], tmp_path: Path
) -> None:
    first, second = servers
    keys = Keys("live")
    source = Redis.from_url(first.url)
    target = Redis.from_url(second.url)
    try:
        await GroupRepository(source, keys).upsert_many(sample_groups(300))
        await VacancyRepository(source, keys).save_many(sample_vacancies(50))
        await source.set(keys.data_version, "3")
        await source.xadd(keys.updates_stream, {"update": '{"update_id": 1}'})
        await source.xgroup_create(keys.updates_stream, "handlers", id="0")
        await source.set(keys._k("session", "abc"), "admin", ex=3600)
        before = await snapshot(source, keys)
        assert len(before) > 300

        async def keep_writing() -> None:  # the service keeps running meanwhile
            for n in range(10_000):
                await source.set(keys._k("meanwhile", n), n)
                await asyncio.sleep(0)

        writer = asyncio.create_task(keep_writing())
        backup = tmp_path / "live.jsonl.gz"
        code, out = await bot(first.url, keys.prefix, "backup", str(backup))
        writer.cancel()
        assert code == 0, out
        assert "(data version 3)" in out
        with gzip.open(backup, "rt") as lines:
            header = json.loads(lines.readline())
        assert (header["prefix"], header["data_version"]) == ("live", "3")

        code, out = await bot(second.url, "copy", "restore", str(backup))
        assert code == 0, out
        after = await snapshot(target, Keys("copy"))
        assert {k: v for k, v in after.items() if not k.startswith("meanwhile:")} == before
        restored_groups = GroupRepository(target, Keys("copy"))
        assert await restored_groups.count() == 300
        assert await target.xinfo_groups(Keys("copy").updates_stream)

        await target.set(Keys("copy")._k("later"), "x")
        code, out = await bot(second.url, "copy", "restore", str(backup))
        assert code == 1 and "already holds keys" in out and "--force" in out, out
        code, out = await bot(second.url, "copy", "restore", str(backup), "--force")
        assert code == 0, out
        assert await target.exists(Keys("copy")._k("later")) == 0

        backup.write_bytes(backup.read_bytes()[:-200])  # cut off
        code, out = await bot(second.url, "other", "restore", str(backup))
        assert code == 1 and "error:" in out, out
        assert [k async for k in target.scan_iter(match="other:*")] == []
    finally:
        await source.aclose()
        await target.aclose()
