"""Each process's ``MatchIndex``, kept current from the availabilities' change stream.

``load`` reads the stream's last entry, then every availability; ``sync`` applies the
entries written since. A follower that fell behind what the stream keeps loads again.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.matching.matcher import MatchIndex
from jobfeed.matching.repository import AvailabilityRepository

log = logging.getLogger(__name__)

BATCH = 1000


class LiveMatches:
    def __init__(
        self, index: MatchIndex, availabilities: AvailabilityRepository, redis: Redis, keys: Keys
    ) -> None:
        self.index = index
        self._availabilities = availabilities
        self._redis = redis
        self._stream = keys.availabilities_changes
        self._last: str | None = None  # the last change applied; None: not loaded
        self._lock = asyncio.Lock()  # a request and a job may sync at once

    async def load(self) -> None:
        async with self._lock:
            await self._load()

    async def _load(self) -> None:
        newest: Any = await self._redis.xrevrange(self._stream, count=1)
        last = newest[0][0] if newest else "0-0"
        self.index.clear()
        async for availability in self._availabilities.iter_all():
            self.index.upsert(availability)
        self._last = last
        log.info("Alert matching loaded %d availabilities", len(self.index))

    async def sync(self) -> None:
        async with self._lock:
            await self._sync()

    async def _sync(self) -> None:
        if self._last is None:
            await self._load()
            return
        while True:
            rows: Any = await self._redis.xread({self._stream: self._last}, count=BATCH)
            entries = rows[0][1] if rows else []
            if not entries:
                return
            if await self._behind():
                await self._load()
                return
            ids = list(dict.fromkeys(fields["id"] for _, fields in entries))
            found = {a.id: a for a in await self._availabilities.get_many(ids)}
            for availability_id in ids:
                availability = found.get(availability_id)
                if availability is None:
                    self.index.remove(availability_id)
                else:
                    self.index.upsert(availability)
            self._last = entries[-1][0]
            if len(entries) < BATCH:
                return

    async def _behind(self) -> bool:
        """Whether entries after ``_last`` may have been trimmed away: the stream was
        trimmed and now starts after it (Redis 7's stream info)."""
        info: Any = await self._redis.xinfo_stream(self._stream)
        if int(info.get("length", 0)) >= int(info.get("entries-added", 0)):
            return False
        first = str(info.get("recorded-first-entry-id") or "0-0")
        return _after(first, self._last or "0-0")


def _after(a: str, b: str) -> bool:
    ams, _, aseq = a.partition("-")
    bms, _, bseq = b.partition("-")
    return (int(ams), int(aseq or 0)) > (int(bms), int(bseq or 0))
