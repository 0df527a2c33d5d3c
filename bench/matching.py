"""Alert matching at scale: how long finding the people a new vacancy fits takes, per
vacancy, with 100,000 availabilities filed in ``MatchIndex`` (trade x place), beside a
brute-force scan of every availability measured in the same run; the index's memory and
build time; alerts queued per second into Redis (``AlertQueue``, needs ``REDIS_URL`` or
127.0.0.1:6379; skipped with ``--no-redis``).

    .ci/with-redis .venv/bin/python bench/matching.py [--availabilities 100000] [--vacancies 1000]

Also ``MatchIndex.fits`` (everyone whose trade fits, wherever and whatever pay: the
recruiters' candidates and the labour office's lists, which make one pass over the open
vacancies), checked against ``match`` on its exact fits.

Availabilities: one to three trades each (the sample feed's titles and the trades the
sample queries name, as seekers type them), a prefecture, county or province drawn from
the whole place table (a tenth anywhere), a minimum pay for a third. Vacancies: the search
benchmark's generated feed (noisy titles, cities from the sample and the place table).
Runs on one core.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import time
import uuid
from datetime import date

from bench.search import NOW, generate, load_samples, quantile, rss_bytes
from jobfeed.matching.matcher import MatchIndex
from jobfeed.matching.models import Availability, AvailabilityConsent, PlaceWish
from jobfeed.models import Vacancy
from jobfeed.places import PlaceLevel, Places
from jobfeed.search import SearchIndex
from jobfeed.search.index import default_lexicon, default_places

TODAY = date(2026, 11, 20)


def make_availabilities(
    count: int, trades: list[str], places: Places, seed: int
) -> list[Availability]:
    rng = random.Random(seed)
    wishes = [
        PlaceWish.of(p)
        for p in places
        if p.level in {PlaceLevel.province, PlaceLevel.prefecture, PlaceLevel.county}
    ]
    consent = AvailabilityConsent(retention_days=180)
    out = []
    for n in range(count):
        where = () if rng.random() < 0.1 else (rng.choice(wishes),)
        pay = rng.choice([5000, 8000]) if rng.random() < 0.33 else None
        out.append(
            Availability(
                id=f"a{n}",
                person=10_000 + n,
                trades=tuple(rng.sample(trades, rng.randint(1, 3))),
                places=where,
                min_pay=pay,
                available_from=TODAY,
                consent=consent,
            )
        )
    return out


async def queue_rate(persons_per_vacancy: list[tuple[str, list[int]]]) -> tuple[int, float]:
    from redis.asyncio import Redis  # noqa: PLC0415 - only with Redis

    from jobfeed.keys import Keys  # noqa: PLC0415
    from jobfeed.matching.queue import AlertQueue  # noqa: PLC0415

    redis = Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    keys = Keys(prefix=f"bench-{uuid.uuid4().hex[:8]}")
    queue = AlertQueue(redis, keys, 180)
    try:
        start = time.perf_counter()
        queued = 0
        for vacancy_id, persons in persons_per_vacancy:
            queued += await queue.enqueue(vacancy_id, persons, NOW)
        elapsed = time.perf_counter() - start
    finally:
        async for key in redis.scan_iter(match=keys.pattern, count=1000):
            await redis.delete(key)
        await redis.aclose()
    return queued, elapsed


def measure_fits(
    index: MatchIndex, vacancies: list[Vacancy]
) -> tuple[list[float], list[float], list[int]]:
    """Who fits each vacancy for candidates and the lists: wall and CPU ms, people."""
    wall, cpu, fitting = [], [], []
    for vacancy in vacancies:
        t0, c0 = time.perf_counter_ns(), time.process_time_ns()
        fits = index.fits(vacancy, TODAY, elsewhere=50)
        cpu.append((time.process_time_ns() - c0) / 1e6)
        wall.append((time.perf_counter_ns() - t0) / 1e6)
        fitting.append(len(fits))
    for vacancy in vacancies[:100]:  # exact fits are the people an alert goes to
        exact = {f.person for f in index.fits(vacancy, TODAY) if f.exact}
        assert exact == {m.person for m in index.match(vacancy, TODAY)}, vacancy.id
    return wall, cpu, fitting


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--availabilities", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=1000)
    parser.add_argument("--scan-vacancies", type=int, default=20, help="for the full scan")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--no-redis", action="store_true")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    lexicon, places = default_lexicon(), default_places()
    search = SearchIndex(lexicon, places, parse_cache=100_000)
    rows, queries = load_samples()
    trades = sorted({str(r["title"]) for r in rows})
    trades += sorted({t for q in queries for t in search.parse(q).terms} - set(trades))
    availabilities = make_availabilities(args.availabilities, trades, places, args.seed)
    vacancies = generate(rows, places, args.vacancies, args.seed)
    print(
        f"{len(availabilities):,} availabilities over {len(trades)} trades; "
        f"{len(vacancies):,} new vacancies"
    )

    gc.collect()
    before = rss_bytes()
    start, start_cpu = time.perf_counter(), time.process_time()
    index = MatchIndex(search)
    for availability in availabilities:
        index.upsert(availability)
    build_s, build_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    gc.collect()
    grown = rss_bytes() - before
    print(
        f"index build: {build_s:.2f} s ({build_cpu:.2f} s CPU); "
        f"memory +{grown / 2**20:.0f} MiB RSS (the availabilities themselves included)"
    )

    for vacancy in vacancies[:50]:  # warm: pinyin tables, parse cache
        index.match(vacancy, TODAY)
    wall, cpu, found = [], [], []
    for vacancy in vacancies:
        t0, c0 = time.perf_counter_ns(), time.process_time_ns()
        matches = index.match(vacancy, TODAY)
        cpu.append((time.process_time_ns() - c0) / 1e6)
        wall.append((time.perf_counter_ns() - t0) / 1e6)
        found.append((vacancy.id, [m.person for m in matches]))
    fits_wall, fits_cpu, fitting = measure_fits(index, vacancies)

    scanned = random.Random(args.seed).sample(vacancies, min(args.scan_vacancies, len(vacancies)))
    scan_wall, scan_cpu = [], []
    for vacancy in scanned:
        t0, c0 = time.perf_counter_ns(), time.process_time_ns()
        brute = index.brute_force(availabilities, vacancy, TODAY)
        scan_cpu.append((time.process_time_ns() - c0) / 1e6)
        scan_wall.append((time.perf_counter_ns() - t0) / 1e6)
        assert brute == index.match(vacancy, TODAY), vacancy.id  # the same people

    people = [len(p) for _, p in found]
    print(f"\nmatching time per vacancy, one core, ms (load average {os.getloadavg()[0]:.1f})")
    print(f"{'':30}{'wall p50':>9}{'p99':>8}{'max':>8}{'cpu p50':>9}{'p99':>8}")
    for name, (w, c) in [
        ("MatchIndex.match", (wall, cpu)),
        ("MatchIndex.fits (+50 elsewhere)", (fits_wall, fits_cpu)),
        (f"brute-force scan ({len(scanned)})", (scan_wall, scan_cpu)),
    ]:
        print(
            f"{name:30}{quantile(w, 0.5):9.2f}{quantile(w, 0.99):8.2f}{max(w):8.2f}"
            f"{quantile(c, 0.5):9.2f}{quantile(c, 0.99):8.2f}"
        )
    print(
        f"\npeople per vacancy: mean {sum(people) / len(people):.1f}, max {max(people)}; "
        f"scan / index at p50: x{quantile(scan_wall, 0.5) / quantile(wall, 0.5):.0f}. "
        f"Goal p99 <= 10 ms: wall {quantile(wall, 0.99):.2f} ms, cpu {quantile(cpu, 0.99):.2f} ms."
    )
    print(
        f"fits: {sum(fitting) / len(fitting):.0f} people per vacancy (its place, or 50 "
        f"elsewhere) on average; the lists' pass over all {len(vacancies):,} vacancies: "
        f"{sum(fits_wall) / 1000:.2f} s wall, {sum(fits_cpu) / 1000:.2f} s CPU "
        f"(x{quantile(fits_wall, 0.5) / quantile(wall, 0.5):.1f} a match at p50)"
    )
    if not args.no_redis:
        queued, elapsed = asyncio.run(queue_rate(found))
        print(f"alerts queued: {queued:,} in {elapsed:.2f} s = {queued / elapsed:,.0f}/s")


if __name__ == "__main__":
    main()
