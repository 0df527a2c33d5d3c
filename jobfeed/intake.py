"""Durable intake of incoming updates: each ``update_id`` is applied once.

A Redis Stream is the write-ahead log. Receiving an update (webhook or long polling)
is one atomic script: if the update's ``seen`` marker is new, the raw update is
appended to the stream with the receiving process as its owner. The owner then
handles it and deletes the entry. An entry whose owner's heartbeat has lapsed (the
process died mid-way) is re-owned by a live process and handled there; nothing is
handled twice unless an owner stalls longer than ``HEARTBEAT_TTL`` while alive.

Concurrent calls share Redis round trips through a ``ScriptBatcher``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from redis.asyncio import Redis

from jobfeed.batching import ScriptBatcher
from jobfeed.keys import Keys

# Telegram keeps an unconfirmed update for 24 hours, so it cannot come back later than that.
SEEN_TTL_SECONDS = 2 * 24 * 3600
HEARTBEAT_TTL_SECONDS = 10

_ACCEPT = """
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  return redis.call('XADD', KEYS[2], '*', 'o', ARGV[2], 'u', ARGV[3])
end
return false
"""

_DONE = """
return redis.call('XDEL', KEYS[1], ARGV[1])
"""

# Re-own the entries of receivers whose heartbeat is gone; returns {id, raw, ...}.
# The heartbeat keys are named from their prefix inside the script (single node).
_ADOPT = """
local found = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', ARGV[2])
local adopted = {}
for _, entry in ipairs(found) do
  local fields = entry[2]
  local owner, raw = fields[2], fields[4]
  if owner ~= ARGV[1] and redis.call('EXISTS', KEYS[2] .. owner) == 0 then
    redis.call('XDEL', KEYS[1], entry[1])
    local id = redis.call('XADD', KEYS[1], '*', 'o', ARGV[1], 'u', raw)
    table.insert(adopted, id)
    table.insert(adopted, raw)
  end
end
return adopted
"""


@dataclass(frozen=True, slots=True)
class Entry:
    entry_id: str
    raw: str


class UpdateInbox:
    def __init__(self, redis: Redis, keys: Keys, owner: str) -> None:
        self._redis = redis
        self._keys = keys
        self.owner = owner
        self._batch = ScriptBatcher(redis)
        self._accept = redis.register_script(_ACCEPT)
        self._done = redis.register_script(_DONE)
        self._adopt = redis.register_script(_ADOPT)

    async def beat(self) -> None:
        """Say this receiver is alive; call more often than ``HEARTBEAT_TTL_SECONDS``."""
        key = self._keys.update_receiver_prefix + self.owner
        await self._redis.set(key, "1", ex=HEARTBEAT_TTL_SECONDS)

    async def accept(self, update_id: int, raw: str) -> str | None:
        """Log an update for this receiver; None when ``update_id`` was seen before."""
        keys = [self._seen(update_id), self._keys.updates_stream]
        entry_id = await self._batch(self._accept, keys, [SEEN_TTL_SECONDS, self.owner, raw])
        return str(entry_id) if entry_id else None

    async def accept_many(self, updates: Sequence[tuple[int, str]]) -> list[str | None]:
        """``accept`` for a batch (long polling); the calls share round trips."""
        return list(await asyncio.gather(*(self.accept(i, raw) for i, raw in updates)))

    async def done(self, entry_id: str) -> None:
        await self._batch(self._done, [self._keys.updates_stream], [entry_id])

    async def adopt_orphans(self, count: int = 500) -> list[Entry]:
        """Entries whose receiver died, now owned by this one (oldest first)."""
        keys = [self._keys.updates_stream, self._keys.update_receiver_prefix]
        flat = await self._adopt(keys=keys, args=[self.owner, count])
        return [Entry(str(flat[i]), str(flat[i + 1])) for i in range(0, len(flat), 2)]

    async def backlog(self) -> int:
        """Updates logged and not yet handled, by any receiver."""
        return int(await self._redis.xlen(self._keys.updates_stream))

    async def get_offset(self) -> int:
        return int(await self._redis.get(self._keys.polling_offset) or 0)

    async def set_offset(self, offset: int) -> None:
        await self._redis.set(self._keys.polling_offset, offset)

    def _seen(self, update_id: int) -> str:
        return self._keys.update_seen_prefix + str(update_id)
