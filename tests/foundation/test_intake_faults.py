"""Accepted updates survive faults: a Redis restart, Telegram errors, unroutable updates.

Through the real webhook, Dispatcher, simulator and a real redis-server of the test's
own (restarted in the middle of the work).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from aiohttp import ClientError, ClientSession

from bot.app import WEBHOOK_PATH
from bot.appkeys import PIPELINE
from bot.telegram.intake import SECRET_HEADER, RetryPolicy
from devkit.demo.seeker import button_data
from jobfeed.intake import UpdateInbox
from jobfeed.keys import Keys
from tests.conftest import redis_url
from tests.handlers.resume_chat import RECRUITER_ID, VACANCY_ID, Chat, vacancy
from tests.harness import ADMIN_ID, System, join, running_system
from tests.redis_server import RedisServer

SECRET = "webhook-secret_123"
JOINS = 128
SEEKER = 620001


async def deliver(http: ClientSession, url: str, update: dict[str, Any]) -> None:
    """As Telegram does: post until the answer is 200."""
    for _ in range(400):
        try:
            async with http.post(url, json=update, headers={SECRET_HEADER: SECRET}) as resp:
                if resp.status == 200:
                    return
        except ClientError:
            pass
        await asyncio.sleep(0.05)
    raise AssertionError(f"update {update['update_id']} never accepted")


async def test_joins_and_a_confirmation_survive_a_redis_restart(
    tmp_path: Path, keys: Keys
) -> None:
    server = RedisServer(tmp_path)
    await server.start()
    try:
        async with running_system(keys, server.url, webhook_secret=SECRET) as system:
            await system.services.vacancies.save(vacancy())
            system.sim.add_user(RECRUITER_ID)
            chat = Chat(system, SEEKER)
            await chat.say(f"/start apply_{VACANCY_ID}")
            await chat.press("同意")
            await chat.fill_resume()
            url = system.base_url + WEBHOOK_PATH
            async with ClientSession() as http:
                posts = [
                    asyncio.ensure_future(deliver(http, url, join(50_000 + i, -1009000 - i)))
                    for i in range(JOINS)
                ]
                message = next(m for m in reversed(chat.messages) if m.reply_markup)
                system.sim.callback(
                    SEEKER, message.chat_id, message.message_id, button_data(message, "确认提交")
                )
                await asyncio.sleep(0.05)  # joins and the confirmation are being handled
                await server.restart()
                await asyncio.gather(*posts)
            await system.settle(within=60)
            groups = await system.services.groups.all()
            assert len([g for g in groups if g.chat_id <= -1009000]) == JOINS
            assert any("报名成功" in (m.plain_text or "") for m in chat.messages)
            assert await system.services.applications.for_applicant(SEEKER)
    finally:
        await server.kill()


async def webhook(system: System, body: Any) -> int:
    async with (
        ClientSession() as http,
        http.post(
            system.base_url + WEBHOOK_PATH, json=body, headers={SECRET_HEADER: SECRET}
        ) as resp,
    ):
        return resp.status


def unknown(update_id: int) -> dict[str, Any]:
    return {"update_id": update_id, "some_future_thing": {"chat": {"id": 5}}}


def tag(update_id: int, city: str) -> dict[str, Any]:
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


async def tagged(system: System, city: str) -> bool:
    for _ in range(200):
        group = await system.services.groups.get(-1003)
        if group is not None and group.city == city:
            return True
        await asyncio.sleep(0.05)
    return False


async def test_updates_nobody_can_route_never_wedge_the_intake(keys: Keys, redis: Any) -> None:
    async with running_system(keys, redis_url(), webhook_secret=SECRET) as system:
        system.sim.bot_added(-1003, by_user_id=ADMIN_ID, title="天津社群")
        await system.settle()
        async with ClientSession() as http:
            url = system.base_url + WEBHOOK_PATH
            sem = asyncio.Semaphore(64)

            async def one(update_id: int) -> None:
                async with sem:
                    await deliver(http, url, unknown(update_id))

            await asyncio.wait_for(
                asyncio.gather(*(one(70_000 + i) for i in range(600))), timeout=60
            )
        assert await webhook(system, tag(80_001, "包头")) == 200
        assert await tagged(system, "包头")
        # A receiver died leaving 600 of them: adopting them wedges nothing either.
        dead = UpdateInbox(system.services.redis, system.services.keys, owner="dead-host-2")
        await dead.accept_many([(90_000 + i, json.dumps(unknown(90_000 + i))) for i in range(600)])
        for _ in range(300):
            if await system.services.inbox.backlog() == 0:
                break
            await asyncio.sleep(0.05)
        assert await system.services.inbox.backlog() == 0
        assert await webhook(system, tag(80_002, "乌海")) == 200
        assert await tagged(system, "乌海")


async def test_a_failing_update_is_retried_dead_lettered_and_replayed_once(
    keys: Keys, redis: Any
) -> None:
    async with running_system(keys, redis_url()) as system:
        system.app[PIPELINE].retry = RetryPolicy(attempts=3, first_delay=0.05)
        await system.services.vacancies.save(vacancy())
        system.sim.add_user(RECRUITER_ID)
        chat = Chat(system, SEEKER)
        await chat.say(f"/start apply_{VACANCY_ID}")
        await chat.press("同意")
        await chat.fill_resume()
        answered = len(system.sim.callback_answers)
        # Telegram fails every message for a while: the press is tried 3 times, then kept.
        system.sim.faults.fail_next(50, status=502, methods=["sendMessage"])
        await chat.press("确认提交")
        assert not any("报名成功" in (m.plain_text or "") for m in chat.messages)
        status, body = await system.api("GET", "/api/updates/dead")
        assert status == 200 and body["total"] == 1
        [letter] = body["updates"]
        assert letter["kind"] == "callback_query" and letter["attempts"] == 3
        assert "TelegramServerError" in letter["error"]
        # The press was answered once; the answer is remembered, never repeated.
        assert len(system.sim.callback_answers) == answered + 1

        system.sim.faults.clear()
        status, _ = await system.api("POST", f"/api/updates/dead/{letter['update_id']}/replay")
        assert status == 200
        await system.settle()
        assert sum("报名成功" in (m.plain_text or "") for m in chat.messages) == 1
        assert len(system.sim.callback_answers) == answered + 1  # not answered again
        assert len(system.sim.messages_in(RECRUITER_ID)) >= 1
        status, body = await system.api("GET", "/api/updates/dead")
        assert body["total"] == 0
        status, _ = await system.api("POST", f"/api/updates/dead/{letter['update_id']}/replay")
        assert status == 404


async def test_a_hundred_concurrent_welcomes_all_arrive(keys: Keys, redis: Any) -> None:
    async with running_system(keys, redis_url(), speed=1.0, webhook_secret=SECRET) as system:
        users = [630_000 + i for i in range(100)]
        for user in users:
            system.sim.add_user(user, "求职者")
        async with ClientSession() as http:
            url = system.base_url + WEBHOOK_PATH
            await asyncio.gather(*(deliver(http, url, start(100_000 + i, u))
                                   for i, u in enumerate(users)))  # fmt: skip
        await system.settle(within=60)
        assert system.sim.count_429 > 0  # flood control did push back
        assert [u for u in users if not system.sim.messages_in(u)] == []


def start(update_id: int, user_id: int) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1763870000,
            "chat": {"id": user_id, "type": "private", "first_name": "求职者"},
            "from": {"id": user_id, "is_bot": False, "first_name": "求职者"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
