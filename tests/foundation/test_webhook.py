"""Webhook mode: the secret token is required, and a redelivered update is applied once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import ClientSession
from redis.asyncio import Redis

from bot.app import WEBHOOK_PATH
from bot.updates import SECRET_HEADER
from jobfeed.keys import Keys
from tests.conftest import redis_url
from tests.harness import ADMIN_ID, System, running_system

SECRET = "webhook-secret_123"


@pytest.fixture
async def webhook_system(keys: Keys, redis: Redis) -> AsyncIterator[System]:
    async with running_system(keys, redis_url(), webhook_secret=SECRET) as system:
        system.sim.bot_added(-1003, by_user_id=ADMIN_ID, title="天津社群")
        await system.settle()
        yield system


async def post(system: System, body: Any, headers: dict[str, str]) -> int:
    async with (
        ClientSession() as http,
        http.post(system.base_url + WEBHOOK_PATH, json=body, headers=headers) as response,
    ):
        return response.status


async def test_updates_arrive_by_webhook(webhook_system: System) -> None:
    group = await webhook_system.services.groups.get(-1003)
    assert group is not None and group.title == "天津社群"
    assert webhook_system.sim.requests.get("getUpdates", 0) == 0


async def test_webhook_refuses_requests_without_the_secret(webhook_system: System) -> None:
    system = webhook_system
    forged = {
        "update_id": 10_000,
        "my_chat_member": {
            "chat": {"id": -1003, "type": "supergroup", "title": "天津社群"},
            "from": {"id": 1, "is_bot": False, "first_name": "x"},
            "date": 1763870000,
            "old_chat_member": {"status": "member", "user": {"id": 1, "is_bot": True,
                                                               "first_name": "bot"}},
            "new_chat_member": {"status": "kicked", "until_date": 0,
                                "user": {"id": 1, "is_bot": True, "first_name": "bot"}},
        },
    }  # fmt: skip
    assert await post(system, forged, {}) == 401
    assert await post(system, forged, {SECRET_HEADER: "wrong"}) == 401
    await system.settle()
    group = await system.services.groups.get(-1003)
    assert group is not None and group.active  # the forged "kicked" was not applied
    assert await post(system, {"no": "id"}, {SECRET_HEADER: SECRET}) == 400
    assert await post(system, [1, 2], {SECRET_HEADER: SECRET}) == 400


async def test_redelivered_update_is_applied_once(webhook_system: System) -> None:
    system = webhook_system
    update = system.sim.user_message(-1003, ADMIN_ID, "/tag city=天津")
    await system.settle()  # the simulator delivered it once
    for _ in range(2):  # Telegram redelivers when it did not see our 200 in time
        assert await post(system, update, {SECRET_HEADER: SECRET}) == 200
    await system.settle()
    group = await system.services.groups.get(-1003)
    assert group is not None and group.city == "天津"
    assert len(system.sim.messages_in(-1003)) == 1  # one confirmation, not three
