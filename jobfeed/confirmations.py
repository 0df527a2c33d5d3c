"""Mass sends a person must confirm before they go out, tracked chat by chat until settled.

Some channels do not deliver a broadcast themselves: they hand a task to a person (the
owner of a set of chats), who confirms it in their own client, and only then do the chats
get the message. A broadcast's send to such a person is "delivered" once the task exists;
this record follows what became of each of the person's chats:

- ``awaiting``: the person has not confirmed yet (a human step we report, never bypass);
- ``sent``: the chat got the message;
- ``failed:<reason>``: the channel says why it did not (e.g. the chat got another mass
  send first); ``expired`` when the person never confirmed within ``give_up_after``.

A task settles when none of its chats is ``awaiting``; a broadcast leaves the open set when
all its tasks have settled (``scripts/confirmations_close.lua``, so a task opened
meanwhile keeps it open). One hash per broadcast (``Keys.confirmations``); the other
writes are one MULTI each.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from pydantic import BaseModel
from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.lua import load_script

AWAITING, SENT, EXPIRED = "awaiting", "sent", "expired"


class MassTask(BaseModel):
    """One task handed to one person for one broadcast."""

    sender: str  # the person (their id in the channel)
    task_id: str  # the channel's id of the task
    created_at: datetime
    settled_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Tally:
    """Where a broadcast's mass sends stand."""

    tasks: int = 0
    tasks_awaiting: int = 0  # tasks with a chat still waiting for its person
    chats: Counter[str] = field(default_factory=Counter)  # sent / awaiting / failed:<why>

    @property
    def settled(self) -> bool:
        return self.tasks_awaiting == 0


class ConfirmedSends:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys
        self._close = load_script(redis, "jobfeed", "confirmations_close")

    async def opened(
        self,
        broadcast_id: str,
        task: MassTask,
        chats: Iterable[str],
        failed: Mapping[str, str] | None = None,
    ) -> None:
        """A task was handed to ``task.sender`` covering ``chats`` (``failed``: chats the
        channel refused at once, chat -> reason)."""
        key = self._keys.confirmations(broadcast_id)
        results: dict[Any, Any] = {f"chat:{chat}": AWAITING for chat in chats}
        results |= {f"chat:{chat}": f"failed:{why}" for chat, why in (failed or {}).items()}
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, f"task:{task.sender}", task.model_dump_json())
            if results:
                pipe.hset(key, mapping=results)
            pipe.zadd(self._keys.confirmations_open, {broadcast_id: 0})
            await pipe.execute()

    async def open_broadcasts(self) -> list[str]:
        return cast(list[str], await self._redis.zrange(self._keys.confirmations_open, 0, -1))

    async def tasks(self, broadcast_id: str) -> list[MassTask]:
        raw = cast(
            dict[str, str], await self._redis.hgetall(self._keys.confirmations(broadcast_id))
        )
        return [MassTask.model_validate_json(v) for k, v in raw.items() if k.startswith("task:")]

    async def results(self, broadcast_id: str) -> dict[str, str]:
        """chat -> ``awaiting`` / ``sent`` / ``failed:<reason>``."""
        raw = cast(
            dict[str, str], await self._redis.hgetall(self._keys.confirmations(broadcast_id))
        )
        return {k.removeprefix("chat:"): v for k, v in raw.items() if k.startswith("chat:")}

    async def record(
        self,
        broadcast_id: str,
        task: MassTask,
        results: Mapping[str, str],
        now: datetime,
        *,
        give_up_after: timedelta,
    ) -> bool:
        """What the channel says of the task's chats now; returns whether it has settled.
        Past ``give_up_after`` the chats still awaiting become ``failed:expired``."""
        results = dict(results)
        expired = now - task.created_at >= give_up_after
        if expired:
            results = {c: f"failed:{EXPIRED}" if r == AWAITING else r for c, r in results.items()}
        settled = AWAITING not in results.values()
        key = self._keys.confirmations(broadcast_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            if results:
                pipe.hset(key, mapping={f"chat:{c}": r for c, r in results.items()})
            if settled:
                done = task.model_copy(update={"settled_at": now})
                pipe.hset(key, f"task:{task.sender}", done.model_dump_json())
            await pipe.execute()
        if settled:
            await self._close(keys=[key, self._keys.confirmations_open], args=[broadcast_id])
        return settled

    async def tally(self, broadcast_id: str) -> Tally:
        tasks = await self.tasks(broadcast_id)
        return Tally(
            tasks=len(tasks),
            tasks_awaiting=sum(1 for t in tasks if t.settled_at is None),
            chats=Counter((await self.results(broadcast_id)).values()),
        )

    async def lease_round(self, seconds: float) -> bool:
        """Whether this process asks for results this round (one process per round)."""
        key = self._keys.confirmations_poll
        return bool(await self._redis.set(key, "1", nx=True, px=max(1, int(seconds * 1000))))

    async def awaiting(self) -> int:
        """Tasks in every open broadcast still waiting for their person."""
        total = 0
        for broadcast_id in await self.open_broadcasts():
            total += (await self.tally(broadcast_id)).tasks_awaiting
        return total
