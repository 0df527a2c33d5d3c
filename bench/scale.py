"""What one broadcast costs Redis as the matrix grows: memory and CPU per send.

A redis-server of its own (on a free port, so nobody else's traffic is counted) holds a
matrix made of the sample's 1,400 groups copied (new chat ids, same tags) to 1,400,
14,000 and 140,000 groups. For each size, one broadcast to every group goes through the
real planner, the real engine and pacer scripts, with a null channel (every send is
delivered at once) and a pacing budget high enough never to wait. Measured on the
server (``INFO``), not guessed:

- the plan: ``used_memory`` after ``create`` minus before, and the time the one
  ``create`` script held the server (its ``INFO commandstats`` usec);
- the run: peak and final ``used_memory`` above the matrix, and Redis CPU
  (``used_cpu_sys`` + ``used_cpu_user``) per send; sends/s as seen by the engine.

Figures are printed beside the 1,400-group baseline as ratios.

    python bench/scale.py [--sizes 1400,14000,140000] [--concurrency 64]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handlers.posts import PostCheck
from jobfeed.broadcast.engine import EngineOptions, Worker, run_until_done
from jobfeed.broadcast.liveness import WorkerLiveness
from jobfeed.broadcast.models import Post, Target
from jobfeed.broadcast.pacing import Pacer, PacingLimits
from jobfeed.broadcast.planner import BroadcastPlanner
from jobfeed.broadcast.plans import BroadcastPlans
from jobfeed.broadcast.sender import Delivered, SendResult
from jobfeed.broadcast.tasks import BroadcastTasks
from jobfeed.channels import DEFAULT_CHANNEL, Address, Capabilities
from jobfeed.groups import GroupRepository
from jobfeed.keys import Keys
from jobfeed.models import Group, Vacancy
from jobfeed.texts import Texts
from jobfeed.vacancies import VacancyRepository

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


class NullChannel:
    """Every request delivered at once: only our side (and Redis) does any work."""

    name = DEFAULT_CHANNEL
    capabilities = Capabilities(send=True, edit=True, delete=True)

    def __init__(self, limits: PacingLimits) -> None:
        self.sends = 0
        self.limits = limits

    async def prepare(self, post: Post) -> None:
        return None

    async def render(self, post: Post) -> str:
        return "\n".join(item.title for item in post.items)

    async def send(self, chat: Address, post: Post) -> SendResult:
        self.sends += 1
        return Delivered(message_id=self.sends)

    async def edit(self, chat: Address, message_id: int, post: Post) -> SendResult:
        return Delivered(message_id=message_id)

    async def delete(self, chat: Address, message_id: int) -> SendResult:
        return Delivered(message_id=message_id)


def matrix(size: int) -> list[Group]:
    """The sample matrix copied until it has ``size`` groups (tags kept, ids new)."""
    lines = (SAMPLES / "groups.jsonl").read_text(encoding="utf-8").splitlines()
    sample = [Group.model_validate_json(line) for line in lines]
    groups = []
    for n in range(size):
        base = sample[n % len(sample)]
        copy = n // len(sample)
        title = base.title if copy == 0 else f"{base.title}·{copy}"
        groups.append(base.model_copy(update={"chat_id": -1002000000000 - n, "title": title}))
    return groups


def first_vacancy() -> Vacancy:
    line = (SAMPLES / "vacancies.jsonl").read_text(encoding="utf-8").splitlines()[0]
    return Vacancy.model_validate_json(line).model_copy(update={"expires_at": None})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Figures:
    groups: int
    sends: int
    plan_bytes: int  # used_memory after create, minus before
    peak_bytes: int  # highest used_memory during the run, minus before create
    final_bytes: int  # used_memory after the run, minus before create
    create_ms: float  # the create script's time on the server
    cpu_us_per_send: float
    sends_per_second: float
    matrix_bytes: int  # the group registry itself
    broadcast_bytes: int  # MEMORY USAGE of the finished broadcast's own keys
    pace_keys: int  # per-chat pacing logs alive at the end (they expire after ~61 s)
    pace_bytes: int


async def used_memory(redis: Redis) -> int:
    return int((await redis.info("memory"))["used_memory"])


async def cpu_seconds(redis: Redis) -> float:
    info = await redis.info("cpu")
    return float(info["used_cpu_sys"]) + float(info["used_cpu_user"])


async def script_usec(redis: Redis) -> float:
    stats: dict[str, Any] = await redis.info("commandstats")
    return sum(
        float(v["usec"]) for k, v in stats.items() if k in ("cmdstat_evalsha", "cmdstat_eval")
    )


async def memory_usage(redis: Redis, names: list[str]) -> int:
    total = 0
    for name in names:
        total += int(await redis.memory_usage(name, samples=0) or 0)
    return total


async def pace_logs(redis: Redis, keys: Keys, bucket: str) -> tuple[int, int]:
    names = [n async for n in redis.scan_iter(match=keys.pace_chat_prefix(bucket) + "*")]
    return len(names), await memory_usage(redis, names)


async def one_size(redis: Redis, size: int, concurrency: int) -> Figures:
    await redis.flushdb()
    await redis.config_resetstat()
    keys = Keys("scale")
    groups, vacancies = GroupRepository(redis, keys), VacancyRepository(redis, keys)
    plans = BroadcastPlans(redis, keys)
    planner = BroadcastPlanner(plans, groups, vacancies, PostCheck(Texts()))
    empty = await used_memory(redis)
    for start in range(0, size, 5000):
        await groups.upsert_many(matrix(size)[start : start + 5000])
    vacancy = first_vacancy()
    await vacancies.save(vacancy)
    before = await used_memory(redis)
    scripts_before = await script_usec(redis)
    plan = await planner.create([vacancy.id], Target())
    create_ms = (await script_usec(redis) - scripts_before) / 1000
    planned = await used_memory(redis)

    limits = PacingLimits(global_rate=1_000_000, group_limit=20)
    channel = NullChannel(limits)
    worker = Worker(
        BroadcastTasks(redis, keys),
        {DEFAULT_CHANNEL: Pacer(redis, keys, "scale", limits)},
        {DEFAULT_CHANNEL: channel},
        groups,
        EngineOptions(concurrency=concurrency),
        liveness=WorkerLiveness(redis, keys),
    )
    peak = planned
    done = asyncio.Event()

    async def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, await used_memory(redis))
            await asyncio.sleep(0.1)

    sampler = asyncio.create_task(sample())
    cpu = await cpu_seconds(redis)
    began = time.perf_counter()
    (progress,) = await run_until_done([worker], plans, [plan.id], poll=0.1)
    elapsed = time.perf_counter() - began
    cpu = await cpu_seconds(redis) - cpu
    done.set()
    await sampler
    final = await used_memory(redis)
    assert progress.delivered == size, progress
    own = [
        keys.broadcast(plan.id),
        keys.broadcast_state(plan.id),
        keys.broadcast_queue(plan.id),
        keys.broadcast_address(plan.id),
        keys.broadcast_unknown(plan.id),
    ]
    pace_keys, pace_bytes = await pace_logs(redis, keys, "scale")
    return Figures(
        groups=size,
        sends=channel.sends,
        plan_bytes=planned - before,
        peak_bytes=max(peak, final) - before,
        final_bytes=final - before,
        create_ms=create_ms,
        cpu_us_per_send=cpu / channel.sends * 1e6,
        sends_per_second=channel.sends / elapsed,
        matrix_bytes=before - empty,
        broadcast_bytes=await memory_usage(redis, own),
        pace_keys=pace_keys,
        pace_bytes=pace_bytes,
    )


def report(rows: list[Figures]) -> None:
    base = rows[0]

    def cell(value: float, base_value: float, unit: str, digits: int = 0) -> str:
        ratio = value / base_value if base_value else float("nan")
        return f"{value:,.{digits}f} {unit} (x{ratio:.2f})"

    print(f"{'groups':>9} | {'plan':>24} | {'peak in run':>24} | {'left after':>22} | "
          f"{'create script':>20} | {'Redis CPU/send':>20} | {'sends/s':>8}")  # fmt: skip
    for r in rows:
        print(
            f"{r.groups:>9,} | {cell(r.plan_bytes / 1024, base.plan_bytes / 1024, 'KiB'):>24} | "
            f"{cell(r.peak_bytes / 1024, base.peak_bytes / 1024, 'KiB'):>24} | "
            f"{cell(r.final_bytes / 1024, base.final_bytes / 1024, 'KiB'):>22} | "
            f"{cell(r.create_ms, base.create_ms, 'ms', 1):>20} | "
            f"{cell(r.cpu_us_per_send, base.cpu_us_per_send, 'µs', 1):>20} | "
            f"{r.sends_per_second:>8,.0f}"
        )
    print("per group:")
    for r in rows:
        print(
            f"{r.groups:>9,} | plan {r.plan_bytes / r.groups:6.0f} B, peak "
            f"{r.peak_bytes / r.groups:6.0f} B, left {r.final_bytes / r.groups:6.0f} B; "
            f"the matrix itself {r.matrix_bytes / r.groups:6.0f} B/group "
            f"({r.matrix_bytes / 2**20:,.1f} MiB)"
        )
    print("what stays (MEMORY USAGE):")
    for r in rows:
        print(
            f"{r.groups:>9,} | the finished broadcast's keys "
            f"{cell(r.broadcast_bytes / 1024, base.broadcast_bytes / 1024, 'KiB')} = "
            f"{r.broadcast_bytes / r.groups:5.0f} B/group; pacing logs alive at the end "
            f"{r.pace_keys:,} keys, {r.pace_bytes / 1024:,.0f} KiB (they expire ~61 s after "
            "their send: bounded by the send rate, not the matrix)"
        )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1400,14000,140000")
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("bench/scale.py needs a redis-server binary (apt install redis-server)")
    port = free_port()
    with tempfile.TemporaryDirectory() as directory:
        server = await asyncio.create_subprocess_exec(
            binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", directory,
            "--save", "", "--appendonly", "yes", "--appendfsync", "everysec",
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        redis = Redis(port=port, decode_responses=True)
        try:
            for _ in range(200):
                try:
                    await redis.ping()
                    break
                except OSError:
                    await asyncio.sleep(0.025)
            info = await redis.info("server")
            print(f"redis-server {info['redis_version']} of its own (appendonly everysec), "
                  f"a null channel, {args.concurrency} sends in flight")  # fmt: skip
            rows = []
            for size in (int(s) for s in args.sizes.split(",")):
                rows.append(await one_size(redis, size, args.concurrency))
                print(f"  {size:,} groups done", flush=True)
            report(rows)
        finally:
            await redis.aclose()
            server.terminate()
            await server.wait()


if __name__ == "__main__":
    asyncio.run(main())
