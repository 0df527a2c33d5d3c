from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot

from devkit.telegram import TelegramSimulator

GROUP = -1001234567890
USER = 42


@pytest.fixture
async def sim() -> AsyncIterator[TelegramSimulator]:
    async with TelegramSimulator(speed=50) as simulator:
        simulator.add_chat(GROUP, title="深圳招聘群")
        simulator.add_user(USER, "张三", username="zhangsan")
        yield simulator


@pytest.fixture
async def bot(sim: TelegramSimulator) -> AsyncIterator[Bot]:
    client = sim.make_bot()
    yield client
    await client.session.close()
