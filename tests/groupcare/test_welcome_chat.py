"""Welcomes through the real Dispatcher, the welcome job and the simulator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from devkit.telegram import SentMessage
from jobfeed.keys import Keys
from tests.conftest import redis_url
from tests.harness import ADMIN_ID, System, running_system

GROUP = -1001800000001
INTERVAL = 2.0  # seconds between two welcomes in a group (the setting, made short)


@pytest.fixture
async def welcoming(keys: Keys, redis: Redis) -> AsyncIterator[System]:
    async with running_system(keys, redis_url(), welcome_interval_seconds=INTERVAL) as system:
        system.sim.add_chat(GROUP, title="招聘一群", bot_is_admin=True)
        yield system


async def welcomes(system: System, count: int, within: float = 10.0) -> list[SentMessage]:
    """Wait until ``count`` welcomes were sent in the group (deleted ones included)."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        sent = [
            m
            for m in system.sim.messages_in(GROUP, include_deleted=True)
            if (m.plain_text or "").startswith("👋 欢迎")
        ]
        if len(sent) >= count or asyncio.get_running_loop().time() > deadline:
            return sent
        await asyncio.sleep(0.05)


async def test_newcomers_are_welcomed_together_and_the_old_welcome_is_deleted(
    welcoming: System,
) -> None:
    sim = welcoming.sim
    sim.add_user(7101, "张三")
    sim.add_user(7102, "李四")
    sim.add_user(7103, "王五")
    sim.add_user(7104, "赵六")
    sim.members_joined(GROUP, [7101])
    sim.members_joined(GROUP, [7102])
    await welcoming.settle()
    [first] = await welcomes(welcoming, 1)
    text = first.plain_text or ""
    assert "张三" in text and "李四" in text  # both in one welcome
    assert "押金" in text and "/jobs" in text and "报名" in text  # rules, search, apply

    sim.members_joined(GROUP, [7103, 7104])
    await welcoming.settle()
    first_again, second = await welcomes(welcoming, 2)
    assert "王五" in (second.plain_text or "") and "赵六" in (second.plain_text or "")
    assert "张三" not in (second.plain_text or "")
    await welcoming.sim.wait_for_deletes(1)
    assert welcoming.sim.messages[(GROUP, first_again.message_id)].deleted  # the old one went
    assert second.at - first.at >= INTERVAL * 0.9  # not before the interval


async def test_admins_set_the_text_and_turn_welcomes_off(welcoming: System) -> None:
    sim = welcoming.sim
    sim.add_user(ADMIN_ID, "管理员")
    sim.user_message(GROUP, ADMIN_ID, "/welcome text 本群只发铝厂岗位，禁止广告")
    await welcoming.settle()
    sim.members_joined(GROUP, [7201])
    await welcoming.settle()
    [welcome] = await welcomes(welcoming, 1)
    assert "本群只发铝厂岗位" in (welcome.plain_text or "")

    sim.user_message(GROUP, ADMIN_ID, "/welcome off")
    sim.user_message(GROUP, 7202, "/welcome on")  # not an admin: refused
    await welcoming.settle()
    assert "只有本群管理员" in (sim.messages_in(GROUP)[-1].plain_text or "")
    sim.members_joined(GROUP, [7203])
    await welcoming.settle()
    parts = welcoming.services
    assert await parts.redis.zscore(parts.keys.welcome_due, str(GROUP)) is None  # not queued
    assert len(await welcomes(welcoming, 2, within=0)) == 1
