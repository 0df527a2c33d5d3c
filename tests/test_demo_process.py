"""``python -m devkit demo`` keeps its dashboard up after the summary, and SIGTERM stops it
cleanly, embedded redis-server included; ``--exit`` ends after the summary."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

from aiohttp import ClientSession

from tests.harness import free_port

ROOT = Path(__file__).resolve().parent.parent
SERVING = b"Serving the dashboard"


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a daemonised server's zombie is gone for our purposes


def embedded_redis_pid(data_dir: Path) -> int:
    registry = json.loads((data_dir / "redis.db.settings").read_text())
    return int(Path(registry["pidfile"]).read_text())


async def start_demo(tmp_path: Path, *extra: str) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}  # the embedded Redis
    env["PYTHONPATH"] = str(ROOT)
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "devkit", "demo", "--samples", str(ROOT / "samples"),
        "--speed", "50", *extra, env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip


async def test_demo_serves_until_sigterm_and_stops_its_redis(tmp_path: Path) -> None:
    port = free_port()
    demo = await start_demo(tmp_path, "--port", str(port))
    assert demo.stdout is not None
    output = b""
    try:
        while SERVING not in output:
            line = await asyncio.wait_for(demo.stdout.readline(), timeout=240)
            assert line, output.decode()[-3000:]
            output += line
        redis_pid = embedded_redis_pid(tmp_path / "var/demo")
        assert alive(redis_pid)
        await asyncio.sleep(1)  # the URL it printed still answers a while later
        async with (
            ClientSession() as http,
            http.get(f"http://127.0.0.1:{port}/dashboard/", allow_redirects=False) as page,
        ):
            assert page.status in (200, 302, 303), page.status
    finally:
        demo.send_signal(signal.SIGTERM)
        rest, _ = await asyncio.wait_for(demo.communicate(), timeout=60)
    assert demo.returncode == 0, (output + rest).decode()[-3000:]
    assert b"Traceback" not in output + rest
    for _ in range(100):
        if not alive(redis_pid):
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("the embedded redis-server outlived the demo")


async def test_demo_with_exit_ends_after_the_summary(tmp_path: Path) -> None:
    demo = await start_demo(tmp_path, "--port", str(free_port()), "--exit")
    output, _ = await asyncio.wait_for(demo.communicate(), timeout=240)
    assert demo.returncode == 0, output.decode()[-3000:]
    assert b"Dashboard:" in output and SERVING not in output
