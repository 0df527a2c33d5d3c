"""Reads of job seekers' availabilities and résumés through matching (candidates, the
lists, one seeker's availability) logged as the applications' access log is: who read
whom, how, when. The log is a capped stream."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.models import utcnow

MAX_ENTRIES = 100_000


class SeekerAccessLog:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys

    async def log(self, people: Iterable[int], actor: str, action: str) -> None:
        at = utcnow().isoformat()
        async with self._redis.pipeline(transaction=False) as pipe:
            for person in people:
                fields: dict[Any, Any] = {
                    "person": str(person),
                    "actor": actor,
                    "action": action,
                    "at": at,
                }
                pipe.xadd(self._keys.seekers_access, fields, maxlen=MAX_ENTRIES, approximate=True)
            await pipe.execute()

    async def recent(self, limit: int = 100) -> list[dict[str, str]]:
        rows: Any = await self._redis.xrevrange(self._keys.seekers_access, count=limit)
        return [dict(fields) for _, fields in rows]
