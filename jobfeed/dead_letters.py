"""Updates that could not be handled, kept for an admin to see and replay.

An update lands here when its handling kept failing on a transient error (Redis or
Telegram unreachable) for every allowed attempt, or failed at once on anything else (a
bug). Moving it is one script: the stream entry goes, the record (raw update, error,
attempts) and the Bot API calls already made for it stay until it is replayed.
Replaying puts the update back into the intake stream under a given owner: the running
receiver that owns it handles it (or, for an owner without a heartbeat, the next live
receiver adopts it); the calls already made are answered from what was remembered.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel
from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.lua import load_script

PACKAGE = "jobfeed"

# An owner that never beats a heartbeat: the first live receiver adopts what it owns.
ANY_RECEIVER = "replayed"


class DeadLetter(BaseModel):
    update_id: int
    kind: str  # the update's type (message, callback_query, ...) or "unknown"
    error: str  # the exception's class and message
    attempts: int
    at: datetime


class DeadLetters:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys
        self._bury = load_script(redis, PACKAGE, "bury_update")
        self._replay = load_script(redis, PACKAGE, "replay_update")

    async def bury(
        self,
        entry_id: str,
        raw: str,
        letter: DeadLetter,
        calls: Mapping[str, str],
    ) -> None:
        """Move a stream entry here, with the calls already made while handling it."""
        record = letter.model_dump(mode="json") | {"raw": raw}
        args: list[str | float] = [
            entry_id,
            str(letter.update_id),
            json.dumps(record, ensure_ascii=False),
            letter.at.timestamp(),
        ]
        for call, result in calls.items():
            args += [call, result]
        keys = [
            self._keys.updates_stream,
            self._keys.updates_dead,
            self._keys.updates_dead_records,
            self._keys.update_calls(letter.update_id),
        ]
        await self._bury(keys=keys, args=args)

    async def count(self) -> int:
        return int(await self._redis.zcard(self._keys.updates_dead))

    async def newest(self, limit: int = 100) -> list[DeadLetter]:
        """The newest ``limit`` first."""
        ids: Any = await self._redis.zrevrange(self._keys.updates_dead, 0, limit - 1)
        if not ids:
            return []
        records: Any = await self._redis.hmget(self._keys.updates_dead_records, ids)
        return [DeadLetter.model_validate_json(r) for r in records if r]

    async def replay(self, update_id: int, owner: str = ANY_RECEIVER) -> tuple[str, str] | None:
        """Back into the stream under ``owner``: (entry id, raw update), or None if there
        is no such dead letter (never buried, or replayed already)."""
        keys = [
            self._keys.updates_stream,
            self._keys.updates_dead,
            self._keys.updates_dead_records,
        ]
        found = await self._replay(keys=keys, args=[str(update_id), owner])
        if not found:
            return None
        return str(found[0]), str(found[1])

    async def ids(self) -> list[int]:
        found: Any = await self._redis.zrange(self._keys.updates_dead, 0, -1)
        return [int(i) for i in found]


def now() -> datetime:
    return datetime.now(UTC)
