"""Durable intake of incoming updates: each ``update_id`` is queued once, processed once.

Updates arrive as raw JSON (webhook or long polling) and are appended to a Redis Stream
read through a consumer group. Enqueueing is one atomic script: a redelivered update
finds its ``seen`` marker and is dropped. A consumer that dies leaves its entries
pending; another consumer claims them once they have been idle long enough.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from jobfeed.keys import Keys

log = logging.getLogger(__name__)

GROUP = "dispatch"
# Telegram keeps an unconfirmed update for 24 hours, so it cannot come back later than that.
SEEN_TTL_SECONDS = 2 * 24 * 3600

_PUT = """
local added = 0
for i = 2, #ARGV - 1, 2 do
  if redis.call('SET', KEYS[1] .. ARGV[i], '1', 'NX', 'EX', ARGV[1]) then
    redis.call('XADD', KEYS[2], '*', 'u', ARGV[i + 1])
    added = added + 1
  end
end
return added
"""


@dataclass(frozen=True, slots=True)
class Entry:
    entry_id: str
    update: dict[str, Any]


class UpdateInbox:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys
        self._put = redis.register_script(_PUT)

    async def ensure_group(self) -> None:
        try:
            await self._redis.xgroup_create(
                self._keys.updates_stream, GROUP, id="0", mkstream=True
            )
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def put(self, updates: Iterable[Mapping[str, Any]]) -> int:
        """Queue updates not seen before; returns how many were new."""
        argv: list[str] = [str(SEEN_TTL_SECONDS)]
        for update in updates:
            update_id = update.get("update_id")
            if not isinstance(update_id, int) or isinstance(update_id, bool):
                raise ValueError("an update needs an integer update_id")
            argv += [str(update_id), json.dumps(update, ensure_ascii=False, separators=(",", ":"))]
        if len(argv) == 1:
            return 0
        # The seen markers are named inside the script from their prefix: one
        # round trip for a whole getUpdates batch (fine on a single Redis node).
        keys = [self._keys.update_seen_prefix, self._keys.updates_stream]
        return int(await self._put(keys=keys, args=argv))

    async def take(self, consumer: str, count: int, block_ms: int, stale_ms: int) -> list[Entry]:
        """Entries to process: first any abandoned by a dead consumer, then new ones."""
        reply: Any = await self._redis.xautoclaim(
            self._keys.updates_stream, GROUP, consumer, min_idle_time=stale_ms, count=count
        )
        claimed = reply[1]
        if claimed:
            log.warning("Took over %d updates left unfinished by another consumer", len(claimed))
            return [_entry(entry_id, fields) for entry_id, fields in claimed if fields]
        fresh: Any = await self._redis.xreadgroup(
            GROUP, consumer, {self._keys.updates_stream: ">"}, count=count, block=block_ms
        )
        return [_entry(entry_id, fields) for _, rows in fresh for entry_id, fields in rows]

    async def done(self, entry_ids: list[str]) -> None:
        if not entry_ids:
            return
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.xack(self._keys.updates_stream, GROUP, *entry_ids)
            pipe.xdel(self._keys.updates_stream, *entry_ids)
            await pipe.execute()

    async def backlog(self) -> int:
        """Entries queued or being processed."""
        return int(await self._redis.xlen(self._keys.updates_stream))

    async def get_offset(self) -> int:
        return int(await self._redis.get(self._keys.polling_offset) or 0)

    async def set_offset(self, offset: int) -> None:
        await self._redis.set(self._keys.polling_offset, offset)


def _entry(entry_id: str, fields: dict[str, str]) -> Entry:
    return Entry(entry_id=entry_id, update=json.loads(fields["u"]))
