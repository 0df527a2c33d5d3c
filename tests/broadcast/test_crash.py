"""``python -m bot worker`` processes killed with SIGKILL mid-broadcast, restarted, replaced.

No group is ever left out; a group gets the post twice only if its send was in flight
when a worker died (state ``s|worker`` in Redis at that moment), never more often than
that. SIGTERM hands everything back without any unknown outcome.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from jobfeed.broadcast.models import Progress, Status
from tests.broadcast.conftest import Rig, assert_adds_up, per_chat
from tests.conftest import redis_url
from tests.harness import TEST_TOKEN

ROOT = Path(__file__).resolve().parents[2]
GLOBAL_RATE = 150  # per real second: 15/s in the simulator's time at speed 10
START_TIMEOUT = 30.0


def tail(log: Path) -> str:
    return log.read_text(encoding="utf-8")[-4000:]


class WorkerProcess:
    def __init__(self, rig: Rig, log: Path) -> None:
        self._rig = rig
        self._log = log
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        env = {
            **os.environ,
            "BOT_TOKEN": TEST_TOKEN,
            "TELEGRAM_API_BASE": self._rig.sim.base_url,
            "REDIS_URL": redis_url(),
            "REDIS_PREFIX": self._rig.keys.prefix,
            "GLOBAL_RATE": str(GLOBAL_RATE),
            "LOG_LEVEL": "INFO",
        }
        env.pop("ADMIN_TOKEN", None)
        with self._log.open("ab") as log:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "worker",
                "--concurrency",
                "8",
                "--dead-after",
                "1",
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=log,
            )

    async def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()

    async def terminate(self) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.proc.wait(), 20)
        except TimeoutError:
            raise AssertionError(f"still running; log:\n{tail(self._log)}") from None


@asynccontextmanager
async def workers(rig: Rig, tmp_path: Path) -> AsyncIterator[list[WorkerProcess]]:
    started: list[WorkerProcess] = []
    try:
        yield started
    finally:
        for worker in started:
            if worker.proc is not None and worker.proc.returncode is None:
                await worker.kill()


async def spawn(rig: Rig, tmp_path: Path, started: list[WorkerProcess]) -> WorkerProcess:
    worker = WorkerProcess(rig, tmp_path / "workers.log")
    await worker.start()
    started.append(worker)
    return worker


async def progress(rig: Rig, broadcast_id: str) -> Progress:
    found = await rig.plans.progress(broadcast_id)
    assert found is not None
    return found


async def wait_for(rig: Rig, broadcast_id: str, delivered: int, log: Path) -> Progress:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + START_TIMEOUT
    while True:
        p = await progress(rig, broadcast_id)
        assert_adds_up(p)
        if p.delivered >= delivered or p.finished_at is not None:
            return p
        if loop.time() > deadline:
            raise AssertionError(f"no progress; worker log:\n{tail(log)}")
        await asyncio.sleep(0.01)


async def in_flight(rig: Rig, broadcast_id: str, pid: int | None = None) -> int:
    """Sends in flight (of one worker process)."""
    prefix = "s|" if pid is None else f"s|{socket.gethostname()}:{pid}:"
    return sum(1 for state in await rig.states(broadcast_id) if state.startswith(prefix))


async def test_workers_killed_at_random_points_then_restarted(rig: Rig, tmp_path: Path) -> None:
    matrix = await rig.load(400)
    broadcast_id = await rig.create()
    log = tmp_path / "workers.log"
    rng = random.Random(os.environ.get("KILL_SEED", "3"))
    cut_off = 0  # sends in flight at the moments of the kills

    async with workers(rig, tmp_path) as started:
        for _ in range(2):
            worker = await spawn(rig, tmp_path, started)
            before = await progress(rig, broadcast_id)
            await wait_for(rig, broadcast_id, before.delivered + rng.randint(1, 80), log)
            await worker.kill()
            cut_off += await in_flight(rig, broadcast_id)
        assert (await progress(rig, broadcast_id)).pending > 0, "killed too late to matter"
        last = await spawn(rig, tmp_path, started)
        final = await wait_for(rig, broadcast_id, len(matrix) + 1, log)
        assert await last.terminate() == 0

    sent = per_chat(rig.sim)
    assert set(sent) == {g.chat_id for g in matrix}  # no group missing
    duplicates = sum(n - 1 for n in sent.values())
    assert duplicates <= cut_off
    assert final.status is Status.done and final.delivered == len(matrix)
    assert final.unknown == final.resent == cut_off  # each cut-off send was counted


async def test_two_workers_one_killed_the_other_takes_over(rig: Rig, tmp_path: Path) -> None:
    matrix = await rig.load(300)
    broadcast_id = await rig.create()
    log = tmp_path / "workers.log"

    async with workers(rig, tmp_path) as started:
        doomed = await spawn(rig, tmp_path, started)
        survivor = await spawn(rig, tmp_path, started)
        await wait_for(rig, broadcast_id, 60, log)
        assert doomed.proc is not None
        await doomed.kill()
        cut_off = await in_flight(rig, broadcast_id, doomed.proc.pid)
        final = await wait_for(rig, broadcast_id, len(matrix) + 1, log)
        assert await survivor.terminate() == 0

    sent = per_chat(rig.sim)
    assert set(sent) == {g.chat_id for g in matrix}
    assert sum(n - 1 for n in sent.values()) <= cut_off
    assert final.unknown == cut_off
    assert final.status is Status.done and final.delivered == len(matrix)


async def test_sigterm_hands_everything_back_without_unknown_outcomes(
    rig: Rig, tmp_path: Path
) -> None:
    matrix = await rig.load(300)
    broadcast_id = await rig.create()

    async with workers(rig, tmp_path) as started:
        stopping = await spawn(rig, tmp_path, started)
        await wait_for(rig, broadcast_id, 50, tmp_path / "workers.log")
        assert await stopping.terminate() == 0
    states = await rig.states(broadcast_id)
    assert not [s for s in states if s[0] in "hs"]  # nothing held, nothing in flight
    stopped = await progress(rig, broadcast_id)
    assert 0 < stopped.delivered < len(matrix) and stopped.unknown == 0
    assert await rig.liveness.live_workers(5.0) == 0  # it unregistered

    [final] = await rig.run(broadcast_id)  # another worker picks the rest up at once

    assert per_chat(rig.sim) == {g.chat_id: 1 for g in matrix}  # exactly once
    assert final.unknown == 0 and final.delivered == len(matrix)
