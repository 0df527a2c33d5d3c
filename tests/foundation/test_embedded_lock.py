"""The embedded Redis serves one process per DATA_DIR: a second one is refused with one
line (exit 2) instead of splitting the data; the lock goes with the process that held it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.storage import open_redis
from tests.foundation.test_config import GOOD_TOKEN, run_bot


async def test_a_second_process_on_the_same_data_dir_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {"BOT_TOKEN": GOOD_TOKEN, "DATA_DIR": str(data)}
    backup = str(tmp_path / "b.jsonl.gz")
    first = await open_redis(None, data)
    try:
        await first.client.set("zp:here", "1")
        second = await asyncio.to_thread(run_bot, env, tmp_path, "backup", backup)
    finally:
        await first.close()
    assert second.returncode == 2, second.stdout + second.stderr
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in second.stderr, second.stderr
    assert str(data) in lines[0] and "REDIS_URL" in lines[0]

    again = await asyncio.to_thread(run_bot, env, tmp_path, "backup", backup)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "backed up 1 keys" in again.stdout
    assert "NOT for production" in again.stderr
