"""Durable intake of incoming updates: each ``update_id`` is applied once.

A Redis Stream is the write-ahead log. Receiving an update (webhook or long polling)
is one atomic script: if the update's ``seen`` marker is new, the raw update is
appended to the stream with the receiving process as its owner. The owner then
handles it and deletes the entry. An entry whose owner's heartbeat has lapsed (the
process died mid-way) is re-owned by a live process and handled there; nothing is
handled twice unless an owner stalls longer than ``HEARTBEAT_TTL`` while alive.

Concurrent calls share Redis calls (``jobfeed.batching.Coalescer``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from jobfeed.batching import Call, Coalescer
from jobfeed.keys import Keys
from jobfeed.lua import load_script
from jobfeed.replication import ReplicaWait, run_script

PACKAGE = "jobfeed"

# Telegram keeps an unconfirmed update for 24 hours, so it cannot come back later than that.
SEEN_TTL_SECONDS = 2 * 24 * 3600
HEARTBEAT_TTL_SECONDS = 10
MAX_BATCH = 256  # updates per script call or XDEL: the command costs about the same

_Logged = tuple[int, str]  # update_id, the update's raw JSON


@dataclass(frozen=True, slots=True)
class Entry:
    entry_id: str
    raw: str


class UpdateInbox:
    """Calls made in the same moment by concurrent requests share one Redis call: the
    accepts of one event-loop turn become one script call, the deletions one XDEL."""

    def __init__(
        self, redis: Redis, keys: Keys, owner: str, *, replica_wait: ReplicaWait | None = None
    ) -> None:
        self._redis = redis
        self.replica_wait = replica_wait  # an update is logged once a replica has it
        self._keys = keys
        self.owner = owner
        self._accept = load_script(redis, PACKAGE, "accept_updates")
        self._adopt = load_script(redis, PACKAGE, "adopt_updates")
        self._accepts: Coalescer[_Logged, str | None] = Coalescer(
            self._accept_calls, max_batch=MAX_BATCH
        )
        self._deletes: Coalescer[tuple[str, int | None], None] = Coalescer(
            self._delete_calls, max_batch=MAX_BATCH
        )

    async def beat(self) -> None:
        """Say this receiver is alive; call more often than ``HEARTBEAT_TTL_SECONDS``."""
        key = self._keys.update_receiver_prefix + self.owner
        await self._redis.set(key, "1", ex=HEARTBEAT_TTL_SECONDS)

    async def accept(self, update_id: int, raw: str) -> str | None:
        """Log an update for this receiver; None when ``update_id`` was seen before."""
        return await self._accepts((update_id, raw))

    async def accept_many(self, updates: Sequence[tuple[int, str]]) -> list[str | None]:
        """``accept`` for a batch (long polling): one call, in order."""
        return await self._accept_now(list(updates))

    async def done(self, entry_id: str, calls_of: int | None = None) -> None:
        """Delete a handled entry and, with ``calls_of``, that update's remembered calls."""
        await self._deletes((entry_id, calls_of))

    async def calls(self, update_id: int) -> dict[str, str]:
        """The Bot API results remembered while ``update_id`` was handled before."""
        found: Any = await self._redis.hgetall(self._keys.update_calls(update_id))
        return dict(found)

    async def remember_call(self, update_id: int, call: str, result: str) -> None:
        key = self._keys.update_calls(update_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, call, result)
            pipe.expire(key, SEEN_TTL_SECONDS)
            await pipe.execute()

    async def _accept_calls(
        self, calls: list[Call[tuple[int, str], str | None]]
    ) -> list[str | None]:
        return await self._accept_now([call.item for call in calls])

    async def _accept_now(self, updates: list[tuple[int, str]]) -> list[str | None]:
        args: list[str | int] = [SEEN_TTL_SECONDS, self.owner]
        for update_id, raw in updates:
            args += [update_id, raw]
        keys = [self._keys.updates_stream, self._keys.update_seen_prefix]
        found = await run_script(self.replica_wait, self._redis, self._accept, keys, args)
        return [str(entry_id) if entry_id else None for entry_id in found]

    async def _delete_calls(self, calls: list[Call[tuple[str, int | None], None]]) -> list[None]:
        remembered = [self._keys.update_calls(u) for _, u in (c.item for c in calls) if u]
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.xdel(self._keys.updates_stream, *(call.item[0] for call in calls))
            if remembered:
                pipe.unlink(*remembered)
            await pipe.execute()
        return [None] * len(calls)

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
