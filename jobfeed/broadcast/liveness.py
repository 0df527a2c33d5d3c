"""Which broadcast workers are alive, and taking over the tasks of those that are not.

- ``bc:workers`` sorted set: worker ids by their last heartbeat (Redis' clock, ms);
- ``bc:held:W`` set: what worker ``W`` has claimed (``"<broadcast id>|<group address>"``).

Workers prove they are alive by heartbeats; a survivor takes a silent worker's tasks
over (``reap``) in one script: ``h|W`` goes back to the queue, ``s|W`` (the send may
have reached the channel) is resent or reported as unknown, by policy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal, cast

from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.lua import load_script
from jobfeed.models import utcnow

PACKAGE = "jobfeed.broadcast"

UnknownPolicy = Literal["resend", "report"]


class WorkerLiveness:
    """Heartbeats and the takeover of silent workers' tasks (the engine; the CLI asks
    ``live_workers`` before it sends from its own process)."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys
        self._heartbeat = load_script(redis, PACKAGE, "heartbeat")
        self._silent = load_script(redis, PACKAGE, "silent")
        self._takeover = load_script(redis, PACKAGE, "fn_terminal", "takeover")
        self._templates = [
            keys.broadcast("@"),
            keys.broadcast_state("@"),
            keys.broadcast_queue("@"),
            keys.broadcast_unknown("@"),
        ]

    async def register(self, worker_id: str) -> None:
        await self._heartbeat(keys=[self._keys.broadcast_workers], args=[worker_id, "0"])

    async def heartbeat(self, worker_id: str) -> bool:
        """False when this worker was declared dead and its tasks were taken over."""
        alive = await self._heartbeat(keys=[self._keys.broadcast_workers], args=[worker_id, "1"])
        return bool(alive)

    async def live_workers(self, max_age: float) -> int:
        silent = await self._silent(keys=[self._keys.broadcast_workers], args=[max_age * 1000])
        total = await self._redis.zcard(self._keys.broadcast_workers)
        return int(total) - len(silent)

    async def reap(self, max_age: float, policy: UnknownPolicy) -> list[tuple[str, int, int]]:
        """Take over the tasks of every worker silent for ``max_age`` seconds.

        Returns (worker, tasks requeued, sends with an unknown outcome) per dead worker.
        """
        silent = await self._silent(keys=[self._keys.broadcast_workers], args=[max_age * 1000])
        reaped = []
        for worker_id in silent:
            requeued, unknown = await self._take(worker_id, max_age * 1000, policy)
            if requeued >= 0:
                reaped.append((worker_id, requeued, unknown))
        return reaped

    async def hand_back(self, worker_id: str, policy: UnknownPolicy) -> tuple[int, int]:
        """A worker shutting down gives back everything it holds (sends still in flight
        have an unknown outcome) and unregisters."""
        return await self._take(worker_id, -1e15, policy)

    async def held(self, worker_id: str) -> set[str]:
        """What a worker holds in Redis, as ``"<broadcast id>|<group address>"``."""
        return cast(set[str], await self._redis.smembers(self._keys.broadcast_held(worker_id)))

    async def take_orphans(
        self, worker_id: str, members: Iterable[str], policy: UnknownPolicy
    ) -> tuple[int, int]:
        """Settle tasks a live worker holds in Redis but lost track of (a reply lost
        between Redis and the worker): as if the worker had died holding just those."""
        found = list(members)
        if not found:
            return 0, 0
        return await self._take(worker_id, 0, policy, found)

    async def _take(
        self, worker_id: str, max_age_ms: float, policy: str, members: Sequence[str] = ()
    ) -> tuple[int, int]:
        requeued, unknown = await self._takeover(
            keys=[
                self._keys.broadcast_workers,
                self._keys.broadcast_held(worker_id),
                self._keys.broadcasts_due,
            ],
            args=[
                worker_id,
                max_age_ms,
                policy,
                utcnow().isoformat(),
                *self._templates,
                *members,
            ],
        )
        return int(requeued), int(unknown)
