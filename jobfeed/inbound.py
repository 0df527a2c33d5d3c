"""Messages a channel acknowledged before it had handled them, kept until it has.

A channel whose server waits for the reply (WeChat's Official Account gives 5 seconds)
answers "received" when handling runs late, and finishes in the background. From that
answer on the message is ours to keep: it is written here first, settled once its reply
went out (or was held for the person), and a sweeper hands it out again when the process
that had it died or its handling failed. After ``MAX_ATTEMPTS`` it becomes a dead letter
an admin can see and replay. Records are the channel's own JSON; this module only keeps
them, by channel name and the message's key.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Collection
from datetime import UTC, datetime
from typing import Any, cast

from pydantic import BaseModel
from redis.asyncio import Redis

from jobfeed.keys import Keys

MAX_ATTEMPTS = 5
CLAIM_MS = 120_000  # how long one process has a message it took to handle again


class Kept(BaseModel):
    key: str  # the message's key in its channel (e.g. its id)
    message: dict[str, Any]  # the channel's record of it
    attempts: int = 0
    at: datetime  # when it was acknowledged
    error: str = ""  # the last failure, for a dead letter


class InboundKeeper:
    """The messages one channel acknowledged and has not finished."""

    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        channel: str,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._redis = redis
        self._keys = keys
        self._channel = channel
        self._clock = clock
        self._late = keys.channel_late(channel)
        self._dead = keys.channel_dead(channel)

    async def keep(self, key: str, message: dict[str, Any]) -> None:
        """Before the acknowledgement: the message survives this process from here on."""
        kept = Kept(key=key, message=message, at=self._clock())
        await self._redis.hset(self._late, key, kept.model_dump_json())

    async def settle(self, key: str) -> None:
        """Its reply went out (or waits for the person): nothing more to do."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hdel(self._late, key)
            pipe.delete(self._keys.channel_late_claim(self._channel, key))
            await pipe.execute()

    async def due(self, older_than: float, *, skip: Collection[str] = ()) -> list[Kept]:
        """Kept messages acknowledged more than ``older_than`` seconds ago that no process
        has claimed (nor is in ``skip``: in the caller's hands); each returned one is now
        claimed by the caller."""
        raw = cast(dict[str, str], await self._redis.hgetall(self._late))
        now = self._clock()
        out: list[Kept] = []
        for value in raw.values():
            kept = Kept.model_validate_json(value)
            if kept.key in skip or (now - kept.at).total_seconds() < older_than:
                continue
            claim = self._keys.channel_late_claim(self._channel, kept.key)
            if await self._redis.set(claim, secrets.token_hex(8), nx=True, px=CLAIM_MS):
                out.append(kept)
        return out

    async def failed(self, kept: Kept, error: str) -> bool:
        """Handling it again failed: counted, and after ``MAX_ATTEMPTS`` moved to the dead
        letters. True if it is dead now."""
        kept = kept.model_copy(update={"attempts": kept.attempts + 1, "error": error[:500]})
        dead = kept.attempts >= MAX_ATTEMPTS
        async with self._redis.pipeline(transaction=True) as pipe:
            if dead:
                pipe.hdel(self._late, kept.key)
                pipe.hset(self._dead, kept.key, kept.model_dump_json())
            else:
                pipe.hset(self._late, kept.key, kept.model_dump_json())
            pipe.delete(self._keys.channel_late_claim(self._channel, kept.key))
            await pipe.execute()
        return dead

    async def dead(self) -> list[Kept]:
        raw = cast(dict[str, str], await self._redis.hgetall(self._dead))
        letters = [Kept.model_validate_json(value) for value in raw.values()]
        return sorted(letters, key=lambda k: k.at, reverse=True)

    async def replay(self, key: str) -> bool:
        """A dead letter goes back to be handled (attempts from zero); False if unknown."""
        raw = cast(str | None, await self._redis.hget(self._dead, key))
        if raw is None:
            return False
        kept = Kept.model_validate_json(raw).model_copy(update={"attempts": 0, "error": ""})
        kept = kept.model_copy(update={"at": datetime.fromtimestamp(0, UTC)})  # due at once
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hdel(self._dead, key)
            pipe.hset(self._late, key, kept.model_dump_json())
            await pipe.execute()
        return True
