"""The dashboard's WeCom page: add a robot from its webhook URL (key shown masked), set the
corp credentials (secret masked), and see mass sends awaiting their owners."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from redis.asyncio import Redis

from jobfeed.confirmations import ConfirmedSends, MassTask
from jobfeed.keys import Keys
from jobfeed.models import utcnow
from tests.conftest import redis_url
from tests.harness import System, running_system
from tests.staff.dashboard import Visitor

KEY = "693a91f6-7b2c-4bc4-97a0-0ec2a1fa5aaa"
WEBHOOK = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}"


@pytest.fixture
async def visitor(keys: Keys, redis: Redis) -> AsyncIterator[tuple[System, Visitor]]:
    async with running_system(keys, redis_url()) as system:
        visitor = Visitor(system.base_url)
        try:
            await visitor.sign_in()
            yield system, visitor
        finally:
            await visitor.close()


async def test_the_wecom_page_adds_a_robot_and_never_shows_a_key_or_secret(
    visitor: tuple[System, Visitor],
) -> None:
    system, v = visitor
    status, _, response = await v.post(
        "/dashboard/wecom/robots", {"name": "烟台普工群", "webhook": WEBHOOK, "city": "烟台"}
    )
    assert status == 303 and "robot_added" in response.headers["Location"]
    status, _, response = await v.post(
        "/dashboard/wecom/robots", {"name": "群", "webhook": "https://example.com/?key=x"}
    )
    assert "robot_invalid" in response.headers["Location"]
    await v.post(
        "/dashboard/wecom/credentials", {"corp_id": "ww0123abcd", "secret": "S3cr3t-0000-0001"}
    )
    sends = ConfirmedSends(system.services.redis, system.services.keys)
    task = MassTask(sender="zhangsan", task_id="msg1", created_at=utcnow() - timedelta(hours=1))
    await sends.opened("7", task, ["wrA1", "wrA2"])

    status, page, _ = await v.get("/dashboard/wecom")
    assert status == 200
    assert "烟台普工群" in page and "693a…5aaa" in page and KEY not in page
    assert "ww0123abcd" in page and "S3cr…0001" in page and "S3cr3t-0000-0001" not in page
    assert "待群主确认的群发任务 1 个" in page and "待确认 2" in page
