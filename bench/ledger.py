"""The ledger (台账) at a county's scale: reading N placements and writing them as XLSX and
CSV, beside the floor of the same run: fetching the same Redis hashes in one pipeline
with nothing built from them.

    python bench/ledger.py [--placements 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import uuid
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from redis.asyncio import Redis

from jobfeed.brokers.repository import BrokerRepository
from jobfeed.keys import Keys
from jobfeed.models import utcnow
from jobfeed.placements.ledger import LedgerFilter, RewardRule
from jobfeed.placements.models import PlacementRecord, Worker
from jobfeed.placements.reports import Reports
from jobfeed.placements.repository import PlacementRepository
from jobfeed.sheets import to_csv, to_xlsx


async def main(count: int) -> None:
    keys = Keys(prefix=f"bench-ledger-{uuid.uuid4().hex[:8]}")
    redis = Redis.from_url(
        os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), decode_responses=True
    )
    placements = PlacementRepository(redis, keys, (1, 3, 6), ZoneInfo("Asia/Shanghai"))
    reports = Reports(placements, BrokerRepository(redis, keys), RewardRule(500, 3))
    try:
        for n in range(1, count + 1):
            record = PlacementRecord(
                number=n,
                vacancy_id="bench",
                employer=f"单位{n % 50}",
                trade="电焊工",
                province="天津",
                city="天津",
                recruiter_id=1,
                created_at=utcnow(),
            )
            worker = Worker(person=10**7 + n, name="张三", phone="13912345678", home="化德县")
            start = date(2026, 1, 1) + timedelta(days=n % 300)
            await placements.create(
                record, start=start, pay="7000元/月", broker=None, worker=worker
            )
        began = time.perf_counter()
        async with redis.pipeline(transaction=False) as pipe:
            for n in range(1, count + 1):
                pipe.hgetall(keys.placement(n))
                pipe.get(keys.placement_personal(n))
            await pipe.execute()
        floor = time.perf_counter() - began
        began = time.perf_counter()
        table = await reports.ledger(LedgerFilter(), masked=False)
        read = time.perf_counter() - began
        began = time.perf_counter()
        xlsx = to_xlsx(table.title, table.headers, table.rows)
        as_xlsx = time.perf_counter() - began
        began = time.perf_counter()
        csv = to_csv(table.headers, table.rows)
        as_csv = time.perf_counter() - began
        began = time.perf_counter()
        await reports.figures(LedgerFilter())
        figures = time.perf_counter() - began
        print(f"{count} placements (floor: the same hashes in one pipeline, {floor:.3f} s)")
        rows = [
            ("ledger rows", read, ""),
            ("as XLSX", as_xlsx, f"{len(xlsx) // 1024} KiB"),
            ("as CSV", as_csv, f"{len(csv) // 1024} KiB"),
            ("figures", figures, ""),
        ]
        for name, seconds, size in rows:
            print(f"  {name:<14} {seconds:.3f} s  {seconds / floor:5.1f} x floor  {size}")
    finally:
        async for key in redis.scan_iter(match=keys.pattern, count=1000):
            await redis.delete(key)
        await redis.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--placements", type=int, default=5000)
    asyncio.run(main(parser.parse_args().placements))
