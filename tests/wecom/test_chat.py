"""Admins register WeCom robots in private chat, through the running system's Dispatcher."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from bot.wecom.robots import RobotRegistry
from jobfeed.keys import Keys
from tests.conftest import redis_url
from tests.harness import ADMIN_ID, System, running_system

KEY = "693a91f6-7b2c-4bc4-97a0-0ec2a1fa5aaa"
WEBHOOK = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}"
GROUP = -100777
SEEKER = 4242


@pytest.fixture
async def system(keys: Keys, redis: Redis) -> AsyncIterator[System]:
    async with running_system(keys, redis_url()) as running:
        yield running


async def say(system: System, user_id: int, text: str, chat_id: int | None = None) -> list[str]:
    chat = user_id if chat_id is None else chat_id
    before = len(system.sim.messages_in(chat, include_deleted=True))
    system.sim.user_message(chat, user_id, text)
    await system.settle()
    return [m.plain_text or m.text or "" for m in system.sim.messages_in(chat)[before:]]


async def test_an_admin_registers_a_robot_in_private_and_sees_it_masked(system: System) -> None:
    [reply] = await say(system, ADMIN_ID, f"/wecom_robot 烟台普工群 {WEBHOOK} 烟台")
    assert "已添加企业微信群机器人" in reply and "693a…5aaa" in reply and KEY not in reply
    [robot] = await RobotRegistry(system.services.redis, system.services.keys).all()
    group = robot.group
    assert (group.title, group.city, group.active) == ("烟台普工群", "烟台", True)

    [listing] = await say(system, ADMIN_ID, "/wecom_robots")
    assert "烟台普工群" in listing and "693a…5aaa" in listing and KEY not in listing

    [usage] = await say(system, ADMIN_ID, "/wecom_robot 只有群名")
    assert "用法" in usage
    [bad] = await say(system, ADMIN_ID, "/wecom_robot 群 https://example.com/x?key=abcdefgh")
    assert "不是企业微信群机器人" in bad


async def test_a_webhook_sent_in_a_group_is_not_registered_and_the_admin_warned(
    system: System,
) -> None:
    system.sim.add_chat(GROUP, title="招聘群")
    replies = await say(system, ADMIN_ID, f"/wecom_robot 群 {WEBHOOK}", chat_id=GROUP)
    assert any("只在私聊" in r for r in replies)
    assert await RobotRegistry(system.services.redis, system.services.keys).all() == []
    assert not any(KEY in r for r in replies)


async def test_only_admins_register_robots(system: System) -> None:
    await say(system, SEEKER, f"/wecom_robot 群 {WEBHOOK}")
    assert await RobotRegistry(system.services.redis, system.services.keys).all() == []


async def test_an_admin_sets_the_corp_credentials_in_private(system: System) -> None:
    [reply] = await say(system, ADMIN_ID, "/wecom_corp ww0123abcd S3cr3t-0000-0001")
    assert "ww0123abcd" in reply and "S3cr…0001" in reply and "S3cr3t-0000-0001" not in reply
    status, body = await system.api("GET", "/api/wecom/credentials")
    assert status == 200
    assert body == {"configured": True, "corp_id": "ww0123abcd", "secret": "S3cr…0001"}
    [bad] = await say(system, ADMIN_ID, "/wecom_corp ww0123abcd short")
    assert "没有保存" in bad and "short" not in bad.replace("没有保存", "")
