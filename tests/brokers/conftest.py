"""The running system with the office's reward rule: 500 元 per worker who stayed 3 months."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from jobfeed.keys import Keys
from tests.conftest import redis_url
from tests.harness import System, running_system


@pytest.fixture
async def system(keys: Keys, redis: Redis) -> AsyncIterator[System]:
    async with running_system(
        keys, redis_url(), broker_reward_yuan=500, broker_reward_months=3
    ) as running:
        yield running
