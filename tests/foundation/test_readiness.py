"""``/readyz``: 503 naming what is down while updates cannot come in, Redis is away or a
background job is down; the polling job outlives an unreachable Telegram at start."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientError, ClientSession
from redis.asyncio import Redis

from bot.readiness import Readiness
from bot.supervision import Supervised, supervise
from devkit.telegram import TelegramSimulator
from jobfeed.groups import GroupRepository
from jobfeed.keys import Keys
from tests.conftest import redis_url
from tests.foundation.test_process import ROOT, wait_healthy
from tests.harness import ADMIN_ID, ADMIN_TOKEN, TEST_TOKEN, System, free_port, running_system
from tests.redis_server import RedisServer

GROUP = -1009


async def ready(get: Any, within: float = 15.0) -> tuple[int, Any]:
    status, body = 0, None
    for _ in range(int(within / 0.1)):
        status, body = await get()
        if status == 200:
            break
        await asyncio.sleep(0.1)
    return status, body


async def test_polling_waits_out_a_failing_delete_webhook_and_readyz_says_so(
    keys: Keys, redis: Redis
) -> None:
    def failing(sim: TelegramSimulator) -> None:
        sim.faults.fail_next(2, status=502, methods={"deleteWebhook"})

    async with running_system(keys, redis_url(), prepare=failing) as system:
        status, body = await system.api("GET", "/readyz", token=None)
        assert status == 503 and "telegram" in body["down"], body
        assert (await system.api("GET", "/healthz", token=None))[0] == 200  # alive all along
        status, body = await ready(lambda: system.api("GET", "/readyz", token=None))
        assert (status, body) == (200, {"status": "ready"})
        await tagged_group_is_handled(system)
        assert system.sim.requests["deleteWebhook"] == 3


async def tagged_group_is_handled(system: System) -> None:
    system.sim.bot_added(GROUP, by_user_id=ADMIN_ID, title="包头铝工群")
    system.sim.user_message(GROUP, ADMIN_ID, "/tag city=包头")
    await system.settle()
    group = await system.services.groups.get(GROUP)
    assert group is not None and group.city == "包头"


async def test_readyz_is_a_json_503_while_redis_is_down(keys: Keys, tmp_path: Path) -> None:
    server = RedisServer(tmp_path)
    await server.start()
    try:
        async with running_system(keys, server.url) as system:
            status, body = await ready(lambda: system.api("GET", "/readyz", token=None))
            assert status == 200, body
            await server.kill()
            status, body = await system.api("GET", "/readyz", token=None)
            assert status == 503 and body["status"] == "unavailable" and "redis" in body["down"]
    finally:
        await server.kill()


async def test_a_failing_job_is_logged_at_once_restarted_and_reported_down(
    caplog: pytest.LogCaptureFixture,
) -> None:
    readiness = Readiness()
    stop = asyncio.Event()
    runs = 0

    async def flaky(stop: asyncio.Event) -> None:
        nonlocal runs
        runs += 1
        if runs <= 2:
            raise RuntimeError(f"boom {runs}")
        await stop.wait()

    caplog.set_level(logging.ERROR, logger="bot.supervision")
    task = asyncio.create_task(
        supervise(Supervised("flaky", flaky), stop, readiness, first_delay=0.2, max_delay=0.3)
    )
    await asyncio.sleep(0.05)
    # Logged with its traceback as it happened, not at shutdown; down until restarted.
    assert [r.exc_info[1] for r in caplog.records if r.exc_info] != []
    assert "boom 1" in caplog.text and readiness.problems == {"flaky": "failed; restarting"}
    await asyncio.sleep(0.6)  # 0.2 s, then 0.3 s (the bound, not 0.4 s)
    assert runs == 3 and readiness.problems == {}
    stop.set()
    await asyncio.wait_for(task, 1)


async def test_bot_run_started_while_telegram_is_unreachable_recovers(
    tmp_path: Path, keys: Keys, redis: Redis
) -> None:
    port, telegram_port = free_port(), free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": TEST_TOKEN,
        "TELEGRAM_API_BASE": f"http://127.0.0.1:{telegram_port}",  # nothing listens yet
        "REDIS_URL": redis_url(),
        "REDIS_PREFIX": keys.prefix,
        "ADMIN_IDS": str(ADMIN_ID),
        "ADMIN_TOKEN": ADMIN_TOKEN,
        "HOST": "127.0.0.1",
        "PORT": str(port),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_healthy(base + "/healthz", process)
        async with ClientSession() as http:

            async def readyz() -> tuple[int, Any]:
                try:
                    async with http.get(base + "/readyz") as response:
                        return response.status, await response.json()
                except ClientError:
                    return 0, None

            status, body = await readyz()
            assert status == 503 and "telegram" in body["down"], body
            sim = TelegramSimulator(speed=100)
            await sim.start(port=telegram_port)
            try:
                status, body = await ready(readyz, within=20)
                assert status == 200, body
                sim.bot_added(GROUP, by_user_id=ADMIN_ID, title="包头铝工群")
                sim.user_message(GROUP, ADMIN_ID, "/tag city=包头")
                groups = GroupRepository(redis, keys)
                for _ in range(200):
                    group = await groups.get(GROUP)
                    if group is not None and group.city == "包头":
                        break
                    await asyncio.sleep(0.05)
                else:
                    raise AssertionError("the bot did not handle updates after recovering")
            finally:
                process.send_signal(signal.SIGTERM)
                stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
                await sim.close()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    logs = (stdout + stderr).decode()
    assert process.returncode == 0, logs[-2000:]
    assert "deleteWebhook failed (TelegramNetworkError)" in logs
    assert "Background job" not in logs  # waited out in its loop, never a crash
