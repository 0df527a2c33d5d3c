"""Webhook mode: the secret token is required, and a redelivered update is applied once."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import ClientSession
from redis.asyncio import Redis

from bot.app import WEBHOOK_PATH
from bot.appkeys import PIPELINE
from bot.telegram.intake import SECRET_HEADER
from jobfeed.intake import UpdateInbox
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


def tag_update(update_id: int, city: str) -> dict[str, Any]:
    """An admin's ``/tag city=…`` in group -1003, as Telegram would deliver it."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1763870000,
            "chat": {"id": -1003, "type": "supergroup", "title": "天津社群"},
            "from": {"id": ADMIN_ID, "is_bot": False, "first_name": "管理员"},
            "text": f"/tag city={city}",
            "entities": [{"type": "bot_command", "offset": 0, "length": 4}],
        },
    }


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


async def test_updates_left_by_a_dead_receiver_are_handled(webhook_system: System) -> None:
    system = webhook_system
    update = tag_update(555, "包头")
    # A receiver logged it and died before handling it (it never beat its heart).
    dead = UpdateInbox(system.services.redis, system.services.keys, owner="dead-host-1")
    await dead.accept_many([(555, json.dumps(update, ensure_ascii=False)),
                            (556, "{broken")])  # fmt: skip
    for _ in range(200):  # adopted on the next heartbeat round (every ~3 s)
        group = await system.services.groups.get(-1003)
        if group is not None and group.city == "包头":
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("the orphaned update was never handled")
    await system.settle()
    assert await system.services.inbox.backlog() == 0  # the unreadable one was dropped


async def test_an_update_received_is_handled_even_if_its_request_is_cancelled(
    webhook_system: System,
) -> None:
    system = webhook_system
    pipeline = system.app[PIPELINE]
    raw = json.dumps(tag_update(901, "乌海"), ensure_ascii=False)
    request = asyncio.ensure_future(pipeline.receive(pipeline.parse(raw), raw))
    await asyncio.sleep(0)  # the request has started its write...
    request.cancel()  # ...when Telegram hangs up
    for _ in range(100):
        group = await system.services.groups.get(-1003)
        if group is not None and group.city == "乌海":
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("the received update was dropped with its request")
    await system.settle()
    assert await system.services.inbox.backlog() == 0
