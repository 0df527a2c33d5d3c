"""A ``bot run`` process SIGKILLed after replying and before deleting the update's entry:
the next process adopts the entry and handles it again, and the person sees one reply.

The kill point is made deterministic by the simulator: the handler's reply goes out,
then its next call (the notice to the admin) hangs at the simulator (``faults.stall``),
unexecuted, and the process is killed while it waits there. By then the reply's result
is remembered in Redis (the reply guard stores it before the handler goes on), so this
is the kill point after the store; a kill between Telegram's answer and that store
would leave one duplicate reply, the bound the README states.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from pathlib import Path

from redis.asyncio import Redis

from devkit.telegram import SentMessage, TelegramSimulator
from jobfeed.keys import Keys
from tests.conftest import redis_url
from tests.foundation.test_process import ROOT, wait_healthy
from tests.harness import ADMIN_ID, ADMIN_TOKEN, TEST_TOKEN, free_port

APPLICANT_ID = 700001


async def start_bot(sim: TelegramSimulator, keys: Keys, cwd: Path) -> asyncio.subprocess.Process:
    port = free_port()
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
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=cwd,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    await wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
    return process


async def until(condition: Callable[[], bool], within: float, what: str) -> None:
    for _ in range(int(within / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def notices(sim: TelegramSimulator) -> list[SentMessage]:
    """Messages to the admin with buttons to decide on the applicant."""
    return [
        m
        for m in sim.messages_in(ADMIN_ID, include_deleted=True)
        if f":{APPLICANT_ID}:" in str(m.reply_markup)
    ]


async def test_a_reply_survives_a_sigkill_before_its_entry_is_deleted_without_a_duplicate(
    tmp_path: Path, keys: Keys, redis: Redis
) -> None:
    processes: list[asyncio.subprocess.Process] = []
    async with TelegramSimulator(speed=100) as sim:
        try:
            processes.append(await start_bot(sim, keys, tmp_path))
            sim.user_message(ADMIN_ID, ADMIN_ID, "/start")  # opens the admin's private chat
            await until(lambda: bool(sim.messages_in(ADMIN_ID)), 15, "the admin's welcome")

            sim.faults.stall(1, methods={"sendMessage"}, chat_id=ADMIN_ID)
            sim.user_message(APPLICANT_ID, APPLICANT_ID, "/recruiter 草原铝业有限公司")
            await until(lambda: sim.faults.stalled == 1, 15, "the notice to the admin")
            [reply] = sim.messages_in(APPLICANT_ID)  # the reply went out before the notice
            assert "等待管理员审核" in (reply.plain_text or "")
            processes[0].kill()  # SIGKILL: no cleanup, the entry stays in the stream
            await processes[0].wait()
            sim.faults.unstall()  # the hanging request never did anything

            processes.append(await start_bot(sim, keys, tmp_path))
            # The second process adopts the entry once the first one's heartbeat expires.
            await until(lambda: bool(notices(sim)), 40, "the adopted update to be handled")
            await asyncio.sleep(0.5)  # anything more it would send, it has sent by now
            assert await redis.xlen(keys.updates_stream) == 0
        finally:
            for process in processes:
                if process.returncode is None:
                    process.kill()
                    await process.wait()

        # The applicant saw one reply, the admin one notice.
        assert [m.plain_text for m in sim.messages_in(APPLICANT_ID)] == [reply.plain_text]
        assert len(notices(sim)) == 1
