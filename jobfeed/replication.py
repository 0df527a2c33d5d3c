"""Writes that must survive losing the primary: confirmed only once a replica has them.

Redis replicates asynchronously: a write the primary acknowledged can be lost when the
primary dies before a replica received it, and a replica promoted by Sentinel then
carries on without it. Where the product tells someone "done" (Telegram gets its 200
for an update, an applicant reads 报名成功), the write is followed by ``WAIT n timeout``
on the same connection, so the confirmation comes only once ``n`` replicas hold it.

When fewer replicas answer within the timeout (a replica is down, or the primary was
just promoted and has none yet), the write stands on the primary alone: the service
keeps working, says so in the log, and skips the wait for ``recheck`` seconds instead
of paying the timeout on every write.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis
from redis.commands.core import AsyncScript

log = logging.getLogger(__name__)


@dataclass
class ReplicaWait:
    """Confirm a script's write once ``replicas`` replicas have it (at most ``timeout_ms``)."""

    replicas: int
    timeout_ms: int = 500
    recheck: float = 5.0  # seconds without waiting after a wait fell short
    clock: Callable[[], float] = time.monotonic
    short_until: float = field(default=0.0, init=False)
    fell_short: int = field(default=0, init=False)  # writes confirmed on the primary alone

    async def run(
        self, redis: Redis, script: AsyncScript, keys: Sequence[Any], args: Sequence[Any]
    ) -> Any:
        """``script(keys, args)``, then WAIT on the same connection; the script's result."""
        if self.replicas <= 0 or self.clock() < self.short_until:
            return await script(keys=keys, args=args)
        async with redis.pipeline(transaction=False) as pipe:
            await script(keys=keys, args=args, client=pipe)
            pipe.execute_command("WAIT", self.replicas, self.timeout_ms)
            result, acknowledged = await pipe.execute()
        if int(acknowledged) < self.replicas:
            self.fell_short += 1
            self.short_until = self.clock() + self.recheck
            log.warning(
                "Only %s of %d replica(s) acknowledged a write within %d ms: confirming it on "
                "the primary alone (a failover now could lose it); waiting again in %.0f s",
                acknowledged, self.replicas, self.timeout_ms, self.recheck,
            )  # fmt: skip
        return result


async def run_script(
    wait: ReplicaWait | None,
    redis: Redis,
    script: AsyncScript,
    keys: Sequence[Any],
    args: Sequence[Any],
) -> Any:
    """``script`` as a confirmed write when ``wait`` is set, a plain call otherwise."""
    if wait is None:
        return await script(keys=keys, args=args)
    return await wait.run(redis, script, keys, args)
