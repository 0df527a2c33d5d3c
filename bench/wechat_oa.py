"""Official Account passive replies: how long WeChat waits for the answer to a job query.

The whole web app runs here (Telegram and WeChat are the simulators), over 3,000 generated
vacancies as in ``bench/search.py``; the sample queries are pushed to ``/wechat/oa`` as
WeChat does (signed; then encrypted, secure mode), one after the other, and each passive
reply is timed from the push to the decrypted text. The baseline, in the same run and
process: the search itself (``SearchService.find`` of the same query, top 5). The figure
that matters is the margin to WeChat's 5 s (replies past the 4.5 s deadline are counted).

    python bench/wechat_oa.py [--queries 200] [--vacancies 3000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import ClientSession, web
from redis.asyncio import Redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.search import generate, load_samples
from bot import appkeys
from bot.app import create_app
from bot.config import Settings
from devkit.telegram import TelegramSimulator
from devkit.wechat import Follower, Mode, WeChatApiSimulator
from jobfeed.keys import Keys
from jobfeed.places import Places
from jobfeed.search.saved import MAX_TEXT, SavedSearch
from jobfeed.vacancies import VacancyRepository

TOKEN, APPID, SECRET = "benchToken", "wxbench000000000", "bench-secret"
AES_KEY = ("Bench0Key1" * 5)[:43]
BOT_TOKEN = "123456789:AAHbenchTOKENbenchTOKENbenchTOKEN_ab"
DEADLINE_MS = 4500


async def timed(calls: list[Callable[[], Awaitable[object]]]) -> list[float]:
    spent = []
    for call in calls:
        started = time.perf_counter()
        await call()
        spent.append((time.perf_counter() - started) * 1000)
    return spent


def line(name: str, ms: list[float], baseline: float) -> str:
    p50 = statistics.median(ms)
    p95 = statistics.quantiles(ms, n=20)[-1]
    late = sum(1 for m in ms if m > DEADLINE_MS)
    return (
        f"{name:<34} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  max {max(ms):7.1f} ms  "
        f"x{p50 / baseline:6.1f} of the search  past 4.5 s: {late}"
    )


async def main(queries_wanted: int, vacancy_count: int) -> None:
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    keys = Keys(prefix=f"bench-oa-{uuid.uuid4().hex[:8]}")
    redis = Redis.from_url(url, decode_responses=True)
    rows, queries = load_samples()
    queries = [q[:MAX_TEXT] for q in queries if q.strip()][:queries_wanted]
    vacancies = generate(rows, Places.load(), vacancy_count, seed=7)
    await VacancyRepository(redis, keys).save_many(vacancies)
    port = 18500 + os.getpid() % 400
    try:
        async with (
            TelegramSimulator(speed=100) as telegram,
            WeChatApiSimulator(APPID, SECRET) as wechat,
        ):
            settings = Settings(
                bot_token=BOT_TOKEN,  # type: ignore[arg-type]
                telegram_api_base=telegram.base_url,
                redis_url=url,
                redis_prefix=keys.prefix,
                host="127.0.0.1",
                port=port,
                log_level="WARNING",
                wechat_oa_token=TOKEN,  # type: ignore[arg-type]
                wechat_oa_appid=APPID,
                wechat_oa_secret=SECRET,  # type: ignore[arg-type]
                wechat_oa_aes_key=AES_KEY,  # type: ignore[arg-type]
                wechat_api_base=wechat.base_url,
                _env_file=None,  # type: ignore[call-arg]
            )
            app = create_app(settings, polling=True)
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", port).start()
            try:
                search = app[appkeys.SEARCH]
                await search.ready(60)
                endpoint = f"http://127.0.0.1:{port}/wechat/oa"
                async with ClientSession() as http:
                    plain = Follower(http, endpoint, wechat, TOKEN, "oBenchPlain", aes_key=AES_KEY)
                    secure = Follower(
                        http,
                        endpoint,
                        wechat,
                        TOKEN,
                        "oBenchSecure",
                        mode=Mode.secure,
                        aes_key=AES_KEY,
                    )
                    find = [(lambda q=q: search.find(SavedSearch(text=q), 5)) for q in queries]
                    base = await timed(find)
                    plain_ms = await timed([(lambda q=q: plain.say(q)) for q in queries])
                    secure_ms = await timed([(lambda q=q: secure.say(q)) for q in queries])
            finally:
                await runner.cleanup()
    finally:
        async for key in redis.scan_iter(match=keys.pattern, count=1000):
            await redis.delete(key)
        await redis.aclose()
    baseline = statistics.median(base)
    print(f"{len(queries)} sample queries over {vacancy_count:,} vacancies, one after another")
    print(line("baseline: SearchService.find", base, baseline))
    print(line("passive reply, plain mode", plain_ms, baseline))
    print(line("passive reply, secure mode", secure_ms, baseline))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--vacancies", type=int, default=3000)
    args = parser.parse_args()
    asyncio.run(main(args.queries, args.vacancies))
