"""Importing 100,000 vacancies: time and peak memory, beside a bare baseline.

The baseline is the least any importer must do: parse each JSON line and HSET the raw row
into Redis through a pipeline. Ours parses, maps field names, normalises (places, pay,
phone, dates, expiry), checks for near-duplicates, and writes each batch with its
listings and bookkeeping in one transaction. Each step runs in a child process of its
own, so its peak RSS is its own. Needs a real Redis ($REDIS_URL or 127.0.0.1:6379); the
keys of the run are deleted afterwards.

    python bench/import.py [--vacancies 100000] [--batch 500]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psutil
from redis.asyncio import Redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "vacancies.jsonl"
SUFFIXES = ["", "（急招）", "学徒", "组长", "（长白班）", "师傅", "（包吃住）", "助理"]


def redis_url() -> str:
    return os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def generate(path: Path, count: int) -> None:
    """``count`` vacancies in the feed format, varied from the 3,000 samples."""
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            row = dict(rows[n % len(rows)])
            round_ = n // len(rows)
            row["id"] = f"G-{n:06d}"
            row["title"] = row["title"] + SUFFIXES[round_ % len(SUFFIXES)]
            row["employer"] = row["employer"].replace("公司", f"{round_ % 97}分公司", 1)
            row["headcount"] = 1 + n % 50
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def peak_mb() -> float:
    """The process's peak resident memory so far (imports included)."""
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024


class RssWatch:
    """Samples the resident memory every 10 ms: how far a step grows it."""

    def __init__(self) -> None:
        self._process = psutil.Process()
        self.start: int = self._process.memory_info().rss
        self.high: int = self.start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(0.01):
            self.high = max(self.high, int(self._process.memory_info().rss))

    def grown_mb(self) -> float:
        self._stop.set()
        self._thread.join()
        return (self.high - self.start) / 1_048_576


async def baseline(path: Path, prefix: str, batch: int) -> int:
    redis = Redis.from_url(redis_url(), decode_responses=True)
    key = f"{prefix}:raw"
    count = 0
    try:
        with path.open(encoding="utf-8") as lines:
            pipe = redis.pipeline(transaction=False)
            for line in lines:
                row = json.loads(line)
                pipe.hset(key, row["id"], line)
                count += 1
                if count % batch == 0:
                    await pipe.execute()
            await pipe.execute()
    finally:
        await redis.aclose()
    return count


async def ours(path: Path, prefix: str, batch: int) -> dict[str, Any]:
    # Imported here, so that the baseline's process does not carry them.
    from jobfeed.keys import Keys  # noqa: PLC0415
    from jobfeed.places import Places  # noqa: PLC0415
    from jobfeed.sources.config import SourceKind  # noqa: PLC0415
    from jobfeed.sources.formats import records_from_file  # noqa: PLC0415
    from jobfeed.sources.importer import VacancyImporter  # noqa: PLC0415
    from jobfeed.sources.ledger import FeedLedger  # noqa: PLC0415
    from jobfeed.sources.normalise import Normaliser, SourceIdentity  # noqa: PLC0415
    from jobfeed.sources.place import PlaceResolver  # noqa: PLC0415
    from jobfeed.vacancies import VacancyRepository  # noqa: PLC0415

    redis = Redis.from_url(redis_url(), decode_responses=True)
    keys = Keys(prefix=prefix)
    normaliser = Normaliser(
        PlaceResolver(Places.load()), ZoneInfo("Asia/Shanghai"), timedelta(days=30)
    )
    importer = VacancyImporter(
        VacancyRepository(redis, keys), FeedLedger(redis, keys), normaliser, batch_size=batch
    )
    try:
        records = records_from_file(SourceKind.jsonl, path, set())
        report = await importer.run(records, SourceIdentity("bench"))
    finally:
        await redis.aclose()
    return report.to_json() | {"rejected": len(report.rejected)}


def child(step: str, path: str, prefix: str, batch: int, results: Any) -> None:
    watch = RssWatch()
    started = time.perf_counter()
    if step == "baseline":
        detail: Any = asyncio.run(baseline(Path(path), prefix, batch))
    else:
        detail = asyncio.run(ours(Path(path), prefix, batch))
    seconds = time.perf_counter() - started
    results.put((step, seconds, peak_mb(), watch.grown_mb(), detail))


def measure(step: str, path: Path, prefix: str, batch: int) -> tuple[float, float, float, Any]:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=child, args=(step, str(path), prefix, batch, results))
    process.start()
    _, seconds, peak, grown, detail = results.get()
    process.join()
    return seconds, peak, grown, detail


async def clean(prefix: str) -> None:
    redis = Redis.from_url(redis_url(), decode_responses=True)
    try:
        batch = []
        async for key in redis.scan_iter(match=f"{prefix}:*", count=1000):
            batch.append(key)
            if len(batch) >= 500:
                await redis.delete(*batch)
                batch.clear()
        if batch:
            await redis.delete(*batch)
    finally:
        await redis.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vacancies", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    prefix = f"bench-import-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "vacancies.jsonl"
        generate(path, args.vacancies)
        size = path.stat().st_size / 1024**2
        print(
            f"{args.vacancies:,} vacancies, {size:.0f} MB of JSON Lines, batches of {args.batch}"
        )
        try:
            base = measure("baseline", path, prefix + "-base", args.batch)
            first = measure("ours", path, prefix, args.batch)
            again = measure("ours", path, prefix, args.batch)
        finally:
            asyncio.run(clean(prefix + "-base"))
            asyncio.run(clean(prefix))
    print(f"{'':34}{'seconds':>9}{'rows/s':>10}{'peak RSS MB':>13}{'step grew MB':>14}")
    rows = [
        ("baseline: json.loads + HSET raw", base),
        ("ours: import (all new)", first),
        ("ours: import again (unchanged)", again),
    ]
    for label, (seconds, peak, grown, _) in rows:
        rate = args.vacancies / seconds
        print(f"{label:34}{seconds:9.2f}{rate:10,.0f}{peak:13.0f}{grown:14.0f}")
    print(f"report, first import: {first[3]}")
    print(f"report, second import: {again[3]}")
    print(
        f"ratio ours/baseline: time {first[0] / base[0]:.1f}x (unchanged re-import "
        f"{again[0] / base[0]:.1f}x), peak RSS {first[1] / base[1]:.1f}x"
        f" (growth during the step {first[2]:.0f} MB vs {base[2]:.0f} MB)"
    )


if __name__ == "__main__":
    main()
