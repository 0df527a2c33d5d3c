"""A broadcast's group tasks, as the engine's workers claim, begin and settle them.

- ``bc:B:queue`` list: group addresses (``telegram:-100123``) no worker has claimed yet;
- ``bc:held:W`` set: what worker ``W`` has claimed, so a survivor can take it over.

A group's state moves ``q`` (queued) -> ``h|W`` (held by worker W) -> ``s|W`` (W is
sending) -> ``d|<message_id>`` / ``f|<reason>`` / ``k|<reason>`` (delivered, failed,
skipped). Every transition is one Lua script (``scripts/``) that also moves the
counters and the held set, so the outcome and the acknowledgement are one write. The
only state in which a crash leaves the outcome unknown is ``s|W``: the request may have
reached the channel (``jobfeed.broadcast.liveness`` settles it when W dies).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from jobfeed.batching import ScriptBatcher
from jobfeed.broadcast.models import Action, FailReason, Post, SkipReason
from jobfeed.broadcast.pacing import Pacer, Slot
from jobfeed.channels import Address
from jobfeed.keys import Keys
from jobfeed.lua import load_script
from jobfeed.models import utcnow

log = logging.getLogger(__name__)

PACKAGE = "jobfeed.broadcast"
PERSIST_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Task:
    """One group of one broadcast, as a worker holds it."""

    broadcast_id: str
    group: Address  # the group as planned: the key of its state
    address: Address  # where to send: differs from ``group`` after a migration
    message_id: int | None = None  # edits and withdrawals: the post to change

    @property
    def member(self) -> str:
        """How the worker's held set in Redis names it."""
        return f"{self.broadcast_id}|{self.group}"


class BroadcastTasks:
    """What a broadcast worker (``jobfeed.broadcast.engine``) does with the plan."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys
        self._claim = load_script(redis, PACKAGE, "claim")
        self._begin = load_script(redis, PACKAGE, "fn_terminal", "fn_begin", "begin")
        # The pacer's reserve() comes first: one script reserves and begins.
        self._paced_begin = load_script(
            redis, PACKAGE, "fn_reserve", "fn_terminal", "fn_begin", "paced_begin"
        )
        self._finish = load_script(redis, PACKAGE, "fn_terminal", "finish")
        # The calls every send makes share round trips (see batching).
        self._batched = ScriptBatcher(redis)

    async def due(self, now: datetime) -> list[str]:
        ids = await self._redis.zrangebyscore(
            self._keys.broadcasts_due, "-inf", int(now.timestamp() * 1000)
        )
        return cast(list[str], ids)

    async def post(self, broadcast_id: str) -> Post | None:
        raw = await self._redis.hget(self._keys.broadcast(broadcast_id), "post")
        return Post.model_validate_json(raw) if raw else None

    async def action(self, broadcast_id: str) -> Action:
        raw = cast(
            str | None, await self._redis.hget(self._keys.broadcast(broadcast_id), "action")
        )
        return Action(raw or "send")

    async def claim(self, broadcast_id: str, worker_id: str, n: int) -> list[Task]:
        flat = await self._claim(
            keys=[
                self._keys.broadcast(broadcast_id),
                self._keys.broadcast_queue(broadcast_id),
                self._keys.broadcast_state(broadcast_id),
                self._keys.broadcast_held(worker_id),
                self._keys.broadcast_address(broadcast_id),
            ],
            args=[worker_id, n, broadcast_id, utcnow().isoformat()],
        )
        tasks = []
        for member, address in zip(flat[::2], flat[1::2], strict=True):
            where, _, message_id = address.partition("|")
            group = Address.parse(member)
            tasks.append(
                Task(
                    broadcast_id,
                    group,
                    Address.parse(where) if where else group,
                    int(message_id) if message_id else None,
                )
            )
        return tasks

    async def begin(self, task: Task, worker_id: str, action: Action) -> str:
        """Mark the task as being sent; anything but ``"go"`` means: do not send it."""
        keys, args = self._begin_input(task, worker_id, action)
        result: str = await self._persist(self._begin, keys, args)
        return result

    async def paced_begin(
        self, pacer: Pacer, task: Task, worker_id: str, action: Action, within: float
    ) -> tuple[Slot, str]:
        """Reserve a send slot and, if it is due within ``within`` seconds, ``begin`` at
        once: one round trip instead of two. The verdict is "" when not begun."""
        pace_keys, pace_args = pacer.script_input(task.address.chat)
        keys, args = self._begin_input(task, worker_id, action)
        reply = await self._persist(
            self._paced_begin, [*pace_keys, *keys], [*pace_args, *args, within * 1000.0]
        )
        return Pacer.slot(reply), str(reply[3])

    def _begin_input(
        self, task: Task, worker_id: str, action: Action
    ) -> tuple[list[str], list[Any]]:
        bid = task.broadcast_id
        keys = [
            self._keys.broadcast(bid),
            self._keys.broadcast_state(bid),
            self._keys.broadcast_held(worker_id),
            self._keys.broadcasts_due,
            self._keys.broadcast_queue(bid),
            self._keys.group(task.address),
        ]
        return keys, [worker_id, str(task.group), bid, action.value, utcnow().isoformat()]

    async def delivered(self, task: Task, worker_id: str, message_id: int) -> str:
        return await self._settle(task, worker_id, "delivered", str(message_id))

    async def failed(self, task: Task, worker_id: str, reason: FailReason) -> str:
        return await self._settle(task, worker_id, "failed", reason.value)

    async def skipped(self, task: Task, worker_id: str, reason: SkipReason) -> str:
        return await self._settle(task, worker_id, "skipped", reason.value)

    async def unknown(self, task: Task, worker_id: str) -> str:
        """The reply was lost and the policy is "report": settle it as unknown."""
        return await self._settle(task, worker_id, "unknown", "")

    async def retry(self, task: Task, worker_id: str, *, lost_reply: bool = False) -> str:
        """Back from sending to held; ``lost_reply`` counts it as an unknown outcome resent."""
        return await self._settle(task, worker_id, "resend" if lost_reply else "retry", "")

    async def migrated(self, task: Task, worker_id: str, new: Address) -> str:
        """``"retry"`` (send to the new address) or ``"merged"`` (the plan has that group)."""
        return await self._settle(task, worker_id, "migrated", str(new))

    async def release(self, task: Task, worker_id: str) -> str:
        """Give a held task back to the queue (pause, quiet hours, shutdown)."""
        return await self._settle(task, worker_id, "release", "")

    async def _settle(self, task: Task, worker_id: str, kind: str, value: str) -> str:
        bid = task.broadcast_id
        result: str = await self._persist(
            self._finish,
            [
                self._keys.broadcast(bid),
                self._keys.broadcast_state(bid),
                self._keys.broadcast_held(worker_id),
                self._keys.broadcasts_due,
                self._keys.broadcast_queue(bid),
                self._keys.broadcast_address(bid),
                self._keys.broadcast_unknown(bid),
            ],
            [worker_id, str(task.group), bid, kind, value, utcnow().isoformat()],
        )
        return result

    async def _persist(self, script: AsyncScript, keys: list[Any], args: list[Any]) -> Any:
        """A worker's script call, repeated while Redis is unreachable (up to a minute).

        Every such script may run twice safely: when the reply to the first call is lost,
        the second finds the first one's effect and answers the same.
        """
        delay = 0.1
        loop = asyncio.get_running_loop()
        deadline = loop.time() + PERSIST_SECONDS
        while True:
            try:
                return await self._batched(script, keys, args)
            except (ConnectionError, TimeoutError, RedisConnectionError, RedisTimeoutError):
                if loop.time() + delay > deadline:
                    raise
                log.warning("Redis unreachable; recording again in %.1f s", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
