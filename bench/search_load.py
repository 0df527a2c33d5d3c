"""How long the event loop stalls while a process loads its search index at start.

Vacancies are generated as in ``bench/search.py`` and stored in Redis. Then, in the same
run: the way the bot does it (``bot.searching``: ``SearchFollower`` over a ``LiveIndex``,
first load built in a thread, no garbage collection during the load, the result frozen),
beside a baseline that builds the index on the event loop from ``VacancyRepository.all()``.
A ticker that sleeps 1 ms measures how late the loop wakes it.

    python bench/search_load.py [--vacancies 3000 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from redis.asyncio import Redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.search import generate, load_samples
from bot.searching import SearchFollower, open_live_index
from jobfeed.keys import Keys
from jobfeed.models import utcnow
from jobfeed.places import Places
from jobfeed.search.index import SearchIndex
from jobfeed.vacancies import VacancyRepository

TICK = 0.001


async def stalls(work: Callable[[], Awaitable[None]]) -> tuple[float, float, float]:
    """Seconds the work took, and the worst and 99th-percentile loop stall (ms)."""
    lags: list[float] = []
    done = False

    async def ticker() -> None:
        while not done:
            started = time.perf_counter()
            await asyncio.sleep(TICK)
            lags.append(time.perf_counter() - started - TICK)

    ticking = asyncio.create_task(ticker())
    await asyncio.sleep(0.05)
    started = time.perf_counter()
    await work()
    elapsed = time.perf_counter() - started
    done = True
    await ticking
    lags.sort()
    return elapsed, lags[-1] * 1000, lags[int(len(lags) * 0.99)] * 1000


async def ours(
    repository: VacancyRepository, redis: Redis, keys: Keys, places: Places
) -> tuple[float, float, float, int]:
    live = await open_live_index(repository, redis, keys, places)
    stop = asyncio.Event()
    jobs: list[asyncio.Task[None]] = []

    async def follow() -> None:
        jobs.append(asyncio.create_task(SearchFollower(live).run(stop)))
        await live.loaded.wait()

    took, worst, p99 = await stalls(follow)
    stop.set()
    await asyncio.gather(*jobs)
    return took, worst, p99, len(live.index)


async def measure(redis: Redis, places: Places, count: int) -> None:
    keys = Keys(prefix=f"bench-load-{uuid.uuid4().hex[:8]}")
    repository = VacancyRepository(redis, keys)
    rows, _ = load_samples()
    vacancies = generate(rows, places, count, seed=7)
    # The generator's dates are fixed; move them so that every vacancy is open now.
    shift = utcnow() - max(v.posted_at for v in vacancies) - timedelta(minutes=5)
    for start in range(0, count, 2000):
        chunk = vacancies[start : start + 2000]
        await repository.save_many(
            [
                v.model_copy(
                    update={
                        "posted_at": v.posted_at + shift,
                        "expires_at": v.expires_at + shift if v.expires_at else None,
                    }
                )
                for v in chunk
            ]
        )
    del vacancies
    gc.collect()
    try:
        took, worst, p99, indexed = await ours(repository, redis, keys, places)
        print(f"{count:>7,} vacancies, bot.searching : {took:5.2f} s, loop stalls max "
              f"{worst:6.1f} ms, p99 {p99:5.1f} ms ({indexed:,} indexed)")  # fmt: skip
        gc.unfreeze()
        gc.collect()

        index = SearchIndex(places=places)

        async def on_the_loop() -> None:
            index.build(await repository.all())

        took, worst, p99 = await stalls(on_the_loop)
        print(f"{count:>7,} vacancies, on the loop    : {took:5.2f} s, loop stalls max "
              f"{worst:6.1f} ms, p99 {p99:5.1f} ms ({len(index):,} indexed)")  # fmt: skip
    finally:
        async for key in redis.scan_iter(match=keys.pattern, count=1000):
            await redis.delete(key)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vacancies", type=int, nargs="+", default=[3000, 100_000])
    args = parser.parse_args()
    redis = Redis.from_url(
        os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), decode_responses=True
    )
    places = Places.load()
    SearchIndex(places=places).is_job_query("天津电焊工")  # tables loaded before timing
    try:
        for count in args.vacancies:
            await measure(redis, places, count)
    finally:
        await redis.aclose()
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    asyncio.run(main())
