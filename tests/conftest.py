"""Shared fixtures: a real Redis with a key prefix per test, cleaned up afterwards."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import pytest
from redis.asyncio import Redis

if TYPE_CHECKING:
    from tests.harness import System

from jobfeed.keys import Keys
from tests.faketime import select_sleep, under_faketime


def pytest_configure(config: pytest.Config) -> None:
    if under_faketime():  # make test-future
        time.sleep = select_sleep


def redis_url() -> str:
    return os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


async def delete_prefix(client: Redis, pattern: str) -> None:
    batch: list[str] = []
    async for key in client.scan_iter(match=pattern, count=1000):
        batch.append(key)
        if len(batch) >= 500:
            await client.delete(*batch)
            batch.clear()
    if batch:
        await client.delete(*batch)


@pytest.fixture
def keys() -> Keys:
    return Keys(prefix=f"test-{uuid.uuid4().hex[:12]}")


@pytest.fixture
async def redis(keys: Keys) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url(), decode_responses=True)
    try:
        await client.ping()
    except Exception as exc:  # the whole suite needs Redis: say so plainly
        pytest.fail(f"Redis is not reachable at {redis_url()}: {exc}")
    yield client
    await delete_prefix(client, keys.pattern)
    # aiogram's FSM keys for this test live under the same prefix (see bot.app).
    await client.aclose()


@pytest.fixture
async def system(keys: Keys, redis: Redis) -> AsyncIterator[System]:
    """The whole bot running against the simulator and a real Redis (see tests/harness.py)."""
    from tests.harness import running_system  # noqa: PLC0415 - keeps unit tests sim-free

    async with running_system(keys, redis_url()) as running:
        yield running
