"""The real ``python -m bot run`` process: secrets stay out of its logs, SIGTERM stops it."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from aiohttp import ClientError, ClientSession
from redis.asyncio import Redis

from devkit.telegram import TelegramSimulator
from jobfeed.groups import GroupRepository
from jobfeed.keys import Keys
from tests.conftest import redis_url
from tests.harness import ADMIN_ID, ADMIN_TOKEN, TEST_TOKEN, free_port

ROOT = Path(__file__).resolve().parents[2]
PHONE = "13912345678"


async def wait_healthy(url: str, process: asyncio.subprocess.Process) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 90  # a start-up takes seconds, much longer on a loaded machine
    async with ClientSession() as http:
        while loop.time() < deadline:
            if process.returncode is not None:
                raise AssertionError("the bot process exited during start-up")
            try:
                async with http.get(url) as response:
                    if response.status == 200:
                        return
            except ClientError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("the bot never became healthy")


async def test_token_never_logged_and_sigterm_stops_cleanly(
    tmp_path: Path, keys: Keys, redis: Redis
) -> None:
    port = free_port()
    async with TelegramSimulator(speed=100) as sim:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(ROOT),
            "BOT_TOKEN": TEST_TOKEN,
            "TELEGRAM_API_BASE": sim.base_url,
            "REDIS_URL": redis_url(),
            "REDIS_PREFIX": keys.prefix,
            "ADMIN_IDS": str(ADMIN_ID),
            "ADMIN_TOKEN": ADMIN_TOKEN,
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "LOG_LEVEL": "DEBUG",
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", env=env, cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            await wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
            sim.bot_added(-1007, by_user_id=ADMIN_ID, title="包头铝工群")
            sim.faults.fail_next(1, status=502)  # an error reply gets logged with details
            sim.user_message(-1007, ADMIN_ID, f"/tag city=包头 电话{PHONE}")
            sim.user_message(-1007, ADMIN_ID, "/tag city=包头")
            groups = GroupRepository(redis, keys)
            for _ in range(200):
                group = await groups.get(-1007)
                if group is not None and group.city == "包头":
                    break
                await asyncio.sleep(0.05)
            else:
                raise AssertionError("the bot did not handle the updates")
            await asyncio.sleep(0.3)
        finally:
            process.send_signal(signal.SIGTERM)
            stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    logs = (stdout + stderr).decode()
    assert process.returncode == 0, logs[-2000:]
    assert "DEBUG" in logs and "Serving on" in logs  # the capture is not empty
    assert TEST_TOKEN not in logs
    assert TEST_TOKEN.split(":")[1] not in logs
    assert ADMIN_TOKEN not in logs
    assert PHONE not in logs
