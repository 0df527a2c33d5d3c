"""Broadcast engine: pacing efficiency at Telegram's ceiling, and its ceiling beside aiogram.

The Bot API simulator runs in its own process (Telegram is not in ours), on this machine:

(a) pacing at the ceiling: the sample matrix (1,400 groups) with GLOBAL_RATE=30 at
    simulator speed 1 and 3 (every rate x speed, Telegram's limits enforced as sliding
    windows of arrivals); efficiency = achieved rate (over the simulator's own arrival
    stamps) / (30/s x speed), with the 429s it answered (goal >= 0.97, 0);
(b) ceiling: limits lifted, the same number of messages to the same chats, at the same
    concurrency, once through raw ``bot.send_message`` calls and once through the whole
    engine (plan in Redis, pacing script, state per send); msgs/s and the ratio
    (goals >= 1,000 msg/s and >= 0.5 x raw).

    python bench/broadcast.py [--rate 30] [--speeds 1,3] [--ceiling 10000]
                              [--concurrency 64] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiohttp import ClientSession
from redis.asyncio import Redis

from bot.telegram.channel import TELEGRAM, TelegramChannel
from bot.telegram.links import TelegramLinks
from handlers.posts import PostCheck, TelegramPost, render_post
from jobfeed.broadcast.engine import EngineOptions, Worker, run_until_done
from jobfeed.broadcast.liveness import WorkerLiveness
from jobfeed.broadcast.models import Post, Target
from jobfeed.broadcast.pacing import Pacer, PacingLimits
from jobfeed.broadcast.planner import BroadcastPlanner
from jobfeed.broadcast.plans import BroadcastPlans
from jobfeed.broadcast.tasks import BroadcastTasks
from jobfeed.groups import GroupRepository
from jobfeed.keys import Keys
from jobfeed.models import Group, Vacancy
from jobfeed.texts import Texts
from jobfeed.vacancies import VacancyRepository

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456789:AAHbenchTOKENbenchTOKENbenchTOKEN_xyz"
SAMPLES = ROOT / "samples"
TELEGRAM_GLOBAL = 30
BOT_USERNAME = "bench_bot"


class Simulator:
    """``python -m devkit telegram`` in a child process, driven through its control API."""

    def __init__(self, *flags: str) -> None:
        self._flags = flags
        self.url = ""
        self._proc: asyncio.subprocess.Process | None = None
        self._http: ClientSession | None = None

    async def __aenter__(self) -> Simulator:
        self._proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "devkit", "telegram", "--port", "0", *self._flags,
            cwd=ROOT, stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        assert self._proc.stdout is not None
        self.url = (await self._proc.stdout.readline()).decode().strip()
        self._http = ClientSession()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._http is not None:
            await self._http.close()
        if self._proc is not None:
            self._proc.terminate()
            await self._proc.wait()

    async def call(self, path: str, payload: Any = None) -> Any:
        assert self._http is not None
        method = "GET" if payload is None else "POST"
        async with self._http.request(method, f"{self.url}/_sim/{path}", json=payload) as r:
            return await r.json()

    async def add_chats(self, ids: list[int]) -> None:
        queue = list(ids)

        async def adder() -> None:
            while queue:
                await self.call("add_chat", {"chat_id": queue.pop()})

        await asyncio.gather(*(adder() for _ in range(16)))


def make_bot(url: str) -> Bot:
    return Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(url)))


def sample_groups() -> list[Group]:
    lines = (SAMPLES / "groups.jsonl").read_text(encoding="utf-8").splitlines()
    return [Group.model_validate_json(line) for line in lines]


def sample_vacancy() -> Vacancy:
    line = (SAMPLES / "vacancies.jsonl").read_text(encoding="utf-8").splitlines()[0]
    return Vacancy.model_validate_json(line).model_copy(update={"expires_at": None})


async def engine_run(
    url: str, groups: list[Group], limits: PacingLimits, concurrency: int
) -> tuple[float, int, float]:
    """Broadcast one post to ``groups``: seconds from the workers' start to the last
    outcome, sends, and this process's CPU seconds meanwhile (planning excluded)."""
    redis = Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
                           decode_responses=True)  # fmt: skip
    keys = Keys(prefix=f"bench-{uuid.uuid4().hex[:8]}")
    bot = make_bot(url)
    try:
        plans, registry = BroadcastPlans(redis, keys), GroupRepository(redis, keys)
        vacancies = VacancyRepository(redis, keys)
        await registry.upsert_many(groups)
        vacancy = sample_vacancy()
        await vacancies.save(vacancy)
        planner = BroadcastPlanner(plans, registry, vacancies, PostCheck(Texts()))
        created = await planner.create([vacancy.id], Target())
        worker = Worker(
            BroadcastTasks(redis, keys),
            {TELEGRAM: Pacer(redis, keys, "bench", limits)},
            {
                TELEGRAM: TelegramChannel(
                    bot, links=TelegramLinks(bot, BOT_USERNAME), texts=Texts()
                )
            },
            registry,
            EngineOptions(concurrency=concurrency),
            liveness=WorkerLiveness(redis, keys),
        )
        started, cpu = time.perf_counter(), time.process_time()
        [done] = await run_until_done([worker], plans, [created.id], poll=0.05)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert done.delivered == len(groups), done
        return elapsed, worker.sent, cpu
    finally:
        await bot.session.close()
        async for key in redis.scan_iter(match=keys.pattern, count=1000):
            await redis.delete(key)
        await redis.aclose()


async def raw_run(url: str, chat_ids: list[int], post: TelegramPost, concurrency: int) -> float:
    """The same post, sent with plain ``bot.send_message`` calls, no bookkeeping at all."""
    bot = make_bot(url)
    queue = list(chat_ids)
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=b.text, url=b.url)] for b in post.buttons]
    )

    async def sender() -> None:
        while queue:
            await bot.send_message(
                queue.pop(),
                post.html,
                parse_mode="HTML",
                reply_markup=keyboard,
                disable_web_page_preview=True,
            )

    try:
        started = time.perf_counter()
        await asyncio.gather(*(sender() for _ in range(concurrency)))
        return time.perf_counter() - started
    finally:
        await bot.session.close()


async def pacing(rate: float, speed: float, concurrency: int) -> dict[str, float]:
    groups = sample_groups()
    async with Simulator("--speed", f"{speed:g}") as sim:
        await sim.add_chats([g.chat_id for g in groups])
        limits = PacingLimits(rate).scaled(speed)
        elapsed, _, _ = await engine_run(sim.url, groups, limits, concurrency)
        arrived = sorted(m["sim_at"] for m in await sim.call("sent"))  # simulated seconds
        stats = await sim.call("stats")
    achieved = (len(arrived) - 1) / (arrived[-1] - arrived[0]) * speed  # per real second
    return {
        "groups": len(groups),
        "sent": len(arrived),
        "seconds": elapsed,
        "achieved": achieved,
        "ceiling": TELEGRAM_GLOBAL * speed,
        "efficiency": achieved / (TELEGRAM_GLOBAL * speed),
        "count_429": stats["count_by_status"].get("429", 0),
        "max_per_second": stats["max_rate_observed"],
    }


async def ceiling(messages: int, concurrency: int, rounds: int) -> dict[str, float]:
    """Raw and engine alternate ``rounds`` times (the machine's load drifts); medians."""
    chats = [-1002000000000 - n for n in range(messages)]
    groups = [Group(chat_id=chat_id, title=f"群{n}") for n, chat_id in enumerate(chats)]
    lifted = PacingLimits(global_rate=1e6, group_limit=1_000_000, group_window=1.0)
    raw_rates, engine_rates, raw_cpu, engine_cpu = [], [], [], []
    async with Simulator("--no-limits") as sim:
        await sim.add_chats(chats)
        links = TelegramLinks(None, BOT_USERNAME)
        post = await render_post(Texts(), Post.of([sample_vacancy()]), links)
        await raw_run(sim.url, chats[:500], post, concurrency)  # warm up both paths
        await engine_run(sim.url, groups[:500], lifted, concurrency)
        for _ in range(rounds):
            cpu = time.process_time()
            raw_rates.append(messages / await raw_run(sim.url, chats, post, concurrency))
            raw_cpu.append((time.process_time() - cpu) / messages)
            seconds, sent, cpu = await engine_run(sim.url, groups, lifted, concurrency)
            engine_rates.append(sent / seconds)
            engine_cpu.append(cpu / sent)
    return {
        "messages": messages,
        "raw": statistics.median(raw_rates),
        "engine": statistics.median(engine_rates),
        "ratio": statistics.median(e / r for e, r in zip(engine_rates, raw_rates, strict=True)),
        "raw_cpu": statistics.median(raw_cpu) * 1e3,
        "engine_cpu": statistics.median(engine_cpu) * 1e3,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=30.0, help="GLOBAL_RATE (default 30)")
    parser.add_argument("--speeds", default="1,3", help="simulator speeds for part (a)")
    parser.add_argument("--ceiling", type=int, default=10_000, help="messages for part (b)")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs for (b)")
    parser.add_argument("--skip-pacing", action="store_true", help="only part (b)")
    args = parser.parse_args()
    for speed in [] if args.skip_pacing else [float(x) for x in args.speeds.split(",")]:
        a = await pacing(args.rate, speed, 32)
        print(f"(a) pacing at speed {speed:g}: {a['sent']:.0f} posts to {a['groups']:.0f} "
              f"groups in {a['seconds']:.1f} s, GLOBAL_RATE {args.rate:g}, Telegram's limits "
              "as sliding windows of arrivals")  # fmt: skip
        print(f"    achieved {a['achieved']:.2f} msg/s (real), arrivals at the simulator")
        print(f"    efficiency achieved / (30/s x {speed:g} = {a['ceiling']:g}/s) : "
              f"{a['efficiency']:.3f}  (goal >= 0.97)")  # fmt: skip
        print(f"    429 answers                      : {a['count_429']:.0f}  (goal 0)")
        print(f"    busiest simulated second         : {a['max_per_second']:.0f} messages")
    b = await ceiling(args.ceiling, args.concurrency, args.rounds)
    print(f"(b) ceiling: {b['messages']:.0f} messages, limits lifted, "
          f"concurrency {args.concurrency}, median of {args.rounds} alternating runs")  # fmt: skip
    print(f"    raw aiogram send_message : {b['raw']:8.0f} msg/s  "
          f"({b['raw_cpu']:.2f} ms CPU per message here)")  # fmt: skip
    print(f"    broadcast engine         : {b['engine']:8.0f} msg/s  "
          f"({b['engine_cpu']:.2f} ms)  (goal >= 1000)")  # fmt: skip
    print(f"    ratio engine / raw       : {b['ratio']:8.2f}  (goal >= 0.50)")


if __name__ == "__main__":
    asyncio.run(main())
