"""The data version of a ``REDIS_PREFIX`` and the steps that bring old data up to date.

``migrate`` runs at the start of every process that uses the data (``python -m bot run``,
``worker``, ``feed``, ``import``, ``broadcast``), before anything reads it. The version is
a number under ``Keys.data_version``; each step below raises it by one and is idempotent
(each key is rewritten by one Lua script that leaves data already in the new layout
alone), so a step cut off by a crash is simply run again. One process migrates, holding a
lease; the others wait for the version to arrive. Data newer than this code knows stops
the process (``DataVersionError``: one line, exit 2), since old code would misread it.

Steps:
1. integer chat ids become Telegram addresses (``telegram:<chat id>``): the group hashes,
   the set of groups and the forwarding keys of migrated groups; every broadcast's states,
   addresses, queue and unknown set, and its counters as the channel's; the held sets of
   registered broadcast workers.

2. every application is indexed by its source (the channel it was filed through, or web),
   for the statistics per source; a record without one came from the first channel.

Stop processes of a code version before this module's first step (they write chat ids)
before starting this one.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import cast

from redis.asyncio import Redis
from redis.commands.core import AsyncScript

from jobfeed.channels import DEFAULT_CHANNEL, Address
from jobfeed.keys import Keys
from jobfeed.lua import load_script

log = logging.getLogger(__name__)

LEASE_MS = 30_000  # renewed as a step goes on; a crashed migrator's lease runs out
WAIT = 300.0  # seconds a process waits for another one's migration
_INTEGER = re.compile(r"-?[0-9]+")


class DataVersionError(Exception):
    """The data's version is newer than this code knows, or unreadable."""


@dataclass(frozen=True, slots=True)
class Step:
    version: int  # the data version once the step has run
    summary: str
    run: Callable[[_Migrator], Awaitable[None]]


async def data_version(redis: Redis, keys: Keys) -> int:
    """The data's version; 0 for data written before versions were recorded (or none)."""
    raw = cast(str | None, await redis.get(keys.data_version))
    if raw is None:
        return 0
    if not _INTEGER.fullmatch(raw):
        raise DataVersionError(f"unreadable data version {raw!r} under {keys.data_version}")
    return int(raw)


async def migrate(redis: Redis, keys: Keys, *, wait: float = WAIT) -> int:
    """Bring the data up to this code's version; returns that version."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    lease = load_script(redis, "jobfeed", "data_lease")
    token = uuid.uuid4().hex
    while True:
        version = await data_version(redis, keys)
        if version > CURRENT_VERSION:
            raise DataVersionError(
                f"the data under prefix {keys.prefix!r} is version {version}, newer than "
                f"this code knows ({CURRENT_VERSION}): run a newer release"
            )
        if version == CURRENT_VERSION:
            return version
        if await lease(keys=[keys.data_migration_lock], args=[token, "take", LEASE_MS]):
            break
        if loop.time() > deadline:
            raise DataVersionError(
                f"another process has been migrating the data for {wait:.0f} s; "
                f"if none is, delete {keys.data_migration_lock}"
            )
        await asyncio.sleep(0.2)  # another process migrates: wait for its version
    try:
        migrator = _Migrator(
            redis,
            keys,
            lambda: lease(keys=[keys.data_migration_lock], args=[token, "renew", LEASE_MS]),
        )
        version = await data_version(redis, keys)  # read again under the lease
        for step in STEPS:
            if step.version > version:
                log.warning("Migrating the data to version %d: %s", step.version, step.summary)
                await step.run(migrator)
                await redis.set(keys.data_version, step.version)
                version = step.version
        return version
    finally:
        await lease(keys=[keys.data_migration_lock], args=[token, "drop", 0])


class _Migrator:
    """What a step works with: Redis, the key names, the scripts, keeping the lease."""

    def __init__(self, redis: Redis, keys: Keys, renew: Callable[[], Awaitable[object]]) -> None:
        self.redis = redis
        self.keys = keys
        self._renew = renew
        self._scripts: dict[str, AsyncScript] = {}

    def script(self, name: str) -> AsyncScript:
        if name not in self._scripts:
            self._scripts[name] = load_script(self.redis, "jobfeed", "fn_v1", name)
        return self._scripts[name]

    async def renew(self) -> None:
        if not await self._renew():
            raise DataVersionError("the migration lease was lost (a stall of 30 s)")


async def _v1_addresses(m: _Migrator) -> None:
    redis, keys, channel = m.redis, m.keys, DEFAULT_CHANNEL
    members = cast(set[str], await redis.smembers(keys.groups))
    old = sorted(member for member in members if _INTEGER.fullmatch(member))
    for n, chat in enumerate(old):
        new = keys.group(Address(channel, chat))
        await m.script("v1_group")(
            keys=[keys.legacy_group(chat), new, keys.groups], args=[channel, chat]
        )
        if n % 1000 == 999:
            await m.renew()
    if old:  # forwarding keys exist only where groups were registered by chat id
        prefix = keys.legacy_group_migrated_pattern[:-1]
        async for key in redis.scan_iter(match=keys.legacy_group_migrated_pattern, count=1000):
            chat = cast(str, key)[len(prefix) :]
            if _INTEGER.fullmatch(chat):
                target = keys.group_migrated(Address(channel, chat))
                await m.script("v1_forward")(keys=[key, target], args=[channel])
    broadcasts = cast(list[str], await redis.zrange(keys.broadcasts, 0, -1))
    for n, bid in enumerate(broadcasts):
        await m.script("v1_hash")(keys=[keys.broadcast_state(bid)], args=[channel, "0"])
        await m.script("v1_hash")(keys=[keys.broadcast_address(bid)], args=[channel, "1"])
        await m.script("v1_list")(keys=[keys.broadcast_queue(bid)], args=[channel])
        await m.script("v1_set")(keys=[keys.broadcast_unknown(bid)], args=[channel, ""])
        await m.script("v1_counters")(keys=[keys.broadcast(bid)], args=[channel])
        if n % 200 == 199:
            await m.renew()
    for worker in cast(list[str], await redis.zrange(keys.broadcast_workers, 0, -1)):
        await m.script("v1_set")(keys=[keys.broadcast_held(worker)], args=[channel, "|"])


async def _v2_sources(m: _Migrator) -> None:
    """Index every application by the source it was filed through (written since)."""
    redis, keys = m.redis, m.keys
    every = cast(
        list[tuple[str, float]], await redis.zrange(keys.applications_all, 0, -1, withscores=True)
    )
    for start in range(0, len(every), 500):
        chunk = every[start : start + 500]
        async with redis.pipeline(transaction=False) as pipe:
            for number, _ in chunk:
                pipe.hget(keys.application(int(number)), "record")
            records = await pipe.execute()
        async with redis.pipeline(transaction=False) as pipe:
            for (number, score), record in zip(chunk, records, strict=True):
                name = str(json.loads(record or "{}").get("source") or DEFAULT_CHANNEL)
                pipe.sadd(keys.application_sources, name)
                pipe.zadd(keys.applications_by_source(name), {number: score})
            await pipe.execute()
        await m.renew()


STEPS: tuple[Step, ...] = (
    Step(1, f"chat ids become addresses ({DEFAULT_CHANNEL}:<chat id>)", _v1_addresses),
    Step(2, "applications are indexed by their source", _v2_sources),
)
CURRENT_VERSION = STEPS[-1].version
