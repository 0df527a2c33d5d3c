"""Prometheus metrics of one process (``GET /metrics``), and what feeds them.

Each process builds one ``Metrics`` (with its own registry: nothing is registered at
import time) in its wiring (the web app in its ``metrics`` resource, ``bot/resources.py``;
a worker or the feed poller with ``process_metrics``) and hands it, or a
``ChannelMetrics`` from it, to what counts: the domain reports through the small
observers of ``jobfeed.observe``, which these classes implement. Gauges that are a
reading of Redis (the intake backlog) are read when scraped. README.md, "Operations",
lists every metric.

The web process serves ``/metrics`` on its app (bearer ``ADMIN_TOKEN``, as the API);
any process with ``METRICS_PORT`` set serves it on a listener of its own there too
(bearer token as well, unless ``METRICS_PUBLIC=true``: then keep that port private).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from aiogram import Bot
from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError, RedisError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.accesslog import AccessLog
from bot.httpjson import bearer_matches, error_response
from bot.telegram.ratelimits import RateLimits

if TYPE_CHECKING:
    from bot.config import Settings
    from jobfeed.broadcast.sender import SendResult

log = logging.getLogger(__name__)

NAMESPACE = "zhaopin"
PATH = "/metrics"
# Seconds: an update is handled in milliseconds unless it waits for a retry (up to ~1 min).
HANDLING_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
SEARCH_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1)
PACER_BUCKETS = (0, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
OUTCOMES = {
    "Delivered": "delivered",
    "RetryAfter": "retry_after",
    "Forbidden": "forbidden",
    "Migrated": "migrated",
    "NotFound": "not_found",
    "Transient": "transient",
    "Rejected": "rejected",
    "Unknown": "unknown",
}

Reader = Callable[[], Awaitable[None]]


class Metrics:
    """Every metric of the process, in its own registry; also the search and application
    observers of ``jobfeed.observe``."""

    def __init__(self) -> None:
        self.registry = registry = CollectorRegistry()
        self._readers: list[Reader] = []
        self._channels: dict[str, ChannelMetrics] = {}
        self._counting: dict[type[Any], type[Any]] = {}

        def counter(name: str, doc: str, labels: tuple[str, ...] = ()) -> Counter:
            return Counter(name, doc, labels, namespace=NAMESPACE, registry=registry)

        self.updates_received = counter(
            "updates_received", "Updates logged for handling (duplicates not)", ("channel",)
        )
        self.updates_handled = counter("updates_handled", "Updates handled", ("channel",))
        self.updates_failed = counter(
            "updates_failed", "Updates dead-lettered after failing", ("channel",)
        )
        self.updates_adopted = counter(
            "updates_adopted", "Updates left by a stopped receiver, or replayed", ("channel",)
        )
        self.update_seconds = Histogram(
            "update_handling_seconds",
            "From taking an update in to settling it (retries included)",
            ("channel",),
            namespace=NAMESPACE,
            registry=registry,
            buckets=HANDLING_BUCKETS,
        )
        self.broadcast_sends = counter(
            "broadcast_sends",
            "Broadcast requests made (send, edit, delete), by what came of them",
            ("channel", "action", "outcome"),
        )
        self.rate_limited = counter(
            "rate_limited", "Flood-control answers (429)", ("channel", "source")
        )
        self.retry_after_seconds = counter(
            "retry_after_seconds", "Seconds the 429 answers said to wait", ("channel", "source")
        )
        self.pacer_wait = Histogram(
            "pacer_wait_seconds",
            "How long a broadcast request waited for its slot in the send budget",
            namespace=NAMESPACE,
            registry=registry,
            buckets=PACER_BUCKETS,
        )
        self.search_seconds = Histogram(
            "search_seconds",
            "Searches of the vacancy index",
            namespace=NAMESPACE,
            registry=registry,
            buckets=SEARCH_BUCKETS,
        )
        self.searches_empty = counter("searches_empty", "Searches that found nothing")
        self.applications_filed = counter("applications_filed", "Applications stored")
        self.applications_delivered = counter(
            "applications_delivered", "Application cards delivered to a recruiter or admin"
        )
        self.alerts_sent = counter("alerts_sent", "Alerts sent to admins")
        self.redis_errors = counter(
            "redis_errors",
            "Failed exchanges with Redis: connection, timeout, reply (an error answer)",
            ("kind",),
        )
        for kind in ("connection", "timeout", "reply"):
            self.redis_errors.labels(kind)

    # -- observers ---------------------------------------------------------------------------

    def channel(self, name: str) -> ChannelMetrics:
        """The update and broadcast observer of one channel (``telegram``)."""
        if name not in self._channels:
            self._channels[name] = ChannelMetrics(self, name)
        return self._channels[name]

    def searched(self, seconds: float, total: int) -> None:
        self.search_seconds.observe(seconds)
        if not total:
            self.searches_empty.inc()

    def filed(self) -> None:
        self.applications_filed.inc()

    def delivered(self) -> None:
        self.applications_delivered.inc()

    # -- readings at scrape time -------------------------------------------------------------

    def on_scrape(self, reader: Reader) -> None:
        """``reader`` sets gauges before each scrape (a failure leaves them as they were)."""
        self._readers.append(reader)

    def backlog_of(self, read: Callable[[], Awaitable[int]]) -> None:
        """Report the intake backlog (only the web process does: a worker showing 0
        would mislead)."""
        gauge = Gauge(
            "intake_backlog",
            "Updates logged and not yet handled, by any receiver (read when scraped)",
            namespace=NAMESPACE,
            registry=self.registry,
        )

        async def reader() -> None:
            try:
                gauge.set(await read())
            except BaseException:
                gauge.set(float("nan"))  # unknown, rather than the last reading
                raise

        self.on_scrape(reader)

    async def render(self) -> bytes:
        for reader in self._readers:
            try:
                await reader()
            except (RedisError, OSError) as exc:
                log.warning("Metrics: a reading failed: %s", exc)
        return generate_latest(self.registry)

    # -- Redis -------------------------------------------------------------------------------

    def redis_error(self, exc: BaseException) -> None:
        """Count a failed exchange with Redis: each failure once, also when it surfaces
        again wrapped (a handshake's failed read raised on as a failed connect)."""
        seen = vars(exc)
        causes = (exc, exc.__cause__, exc.__context__)
        if any(c is not None and vars(c).get("_zp_counted") for c in causes):
            seen["_zp_counted"] = True
            return
        if isinstance(exc, NoScriptError):
            return  # NOSCRIPT is how a script gets registered (jobfeed.lua), not a failure
        if isinstance(exc, RedisTimeoutError | TimeoutError):
            kind = "timeout"
        elif isinstance(exc, RedisConnectionError | OSError):
            kind = "connection"
        elif isinstance(exc, ResponseError):
            kind = "reply"
        else:
            return  # a cancellation, or our own bug: not Redis failing
        seen["_zp_counted"] = True
        self.redis_errors.labels(kind).inc()

    def watch_redis(self, client: Redis) -> None:
        """Count the failures of every connection of ``client``'s pool: it makes them
        with a subclass of their class that reports what fails to ``redis_error``, and
        the connections it already has become that subclass (it adds no state)."""
        pool = client.connection_pool
        base = pool.connection_class
        if base in self._counting.values():
            return
        counting = self._counting.setdefault(base, _counting_class(base, self.redis_error))
        pool.connection_class = counting
        made = [
            *getattr(pool, "_available_connections", ()),
            *getattr(pool, "_in_use_connections", ()),
        ]
        for connection in made:
            if type(connection) is base:
                connection.__class__ = counting


def _counting_class(base: type[Any], count: Callable[[BaseException], None]) -> type[Any]:
    """``base`` reporting each failure to ``count``: of a connection attempt as a whole,
    and of each command sent or reply read. A connection's handshake is not counted
    command by command: redis-py tries optional commands there (``CLIENT
    MAINT_NOTIFICATIONS``) and an older server's error answer to them is expected."""
    connecting: ContextVar[bool] = ContextVar("connecting", default=False)

    async def connect_check_health(self: Any, *args: Any, **kwargs: Any) -> Any:
        token = connecting.set(True)
        try:
            return await base.connect_check_health(self, *args, **kwargs)
        except Exception as exc:
            count(exc)
            raise
        finally:
            connecting.reset(token)

    async def send_packed_command(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await base.send_packed_command(self, *args, **kwargs)
        except Exception as exc:
            if not connecting.get():
                count(exc)
            raise

    async def read_response(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await base.read_response(self, *args, **kwargs)
        except Exception as exc:
            if not connecting.get():
                count(exc)
            raise

    methods = {
        "connect_check_health": connect_check_health,
        "send_packed_command": send_packed_command,
        "read_response": read_response,
    }
    return type(f"Counting{base.__name__}", (base,), methods)


class ChannelMetrics:
    """The update and broadcast observers (``jobfeed.observe``) of one channel. The
    labelled children are looked up once (a lookup per call cost more than the count)."""

    def __init__(self, metrics: Metrics, channel: str) -> None:
        self._m = metrics
        self._channel = channel
        self._received = metrics.updates_received.labels(channel)
        self._handled = metrics.updates_handled.labels(channel)
        self._failed = metrics.updates_failed.labels(channel)
        self._adopted = metrics.updates_adopted.labels(channel)
        self._seconds = metrics.update_seconds.labels(channel)
        self._sends: dict[tuple[str, str, str], Counter] = {}

    def received(self) -> None:
        self._received.inc()

    def adopted(self) -> None:
        self._adopted.inc()

    def handled(self, seconds: float, *, failed: bool) -> None:
        (self._failed if failed else self._handled).inc()
        self._seconds.observe(seconds)

    def rate_limited(self, source: str, seconds: float) -> None:
        """A 429 that said to wait ``seconds``, to a request of ``source``."""
        self._m.rate_limited.labels(self._channel, source).inc()
        self._m.retry_after_seconds.labels(self._channel, source).inc(seconds)

    def sent(self, channel: str, action: str, result: SendResult) -> None:
        key = (channel, action, type(result).__name__)
        child = self._sends.get(key)
        if child is None:
            outcome = OUTCOMES.get(key[2], "other")
            child = self._sends[key] = self._m.broadcast_sends.labels(channel, action, outcome)
        child.inc()

    def paced(self, seconds: float) -> None:
        self._m.pacer_wait.observe(seconds)


def count_rate_limits(bot: Bot, metrics: Metrics) -> None:
    """Count the 429s of ``bot``'s requests (innermost: each attempt is seen)."""
    bot.session.middleware(RateLimits(metrics.channel("telegram").rate_limited))


# -- HTTP ----------------------------------------------------------------------------------


def handler(
    metrics_of: Callable[[web.Request], Metrics],
    admin_token: str | None,
    *,
    public: bool = False,
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """``GET /metrics`` of the Metrics ``metrics_of`` the request finds: bearer
    ``admin_token`` required unless ``public``."""
    expected = admin_token.encode() if admin_token else None

    async def scrape(request: web.Request) -> web.StreamResponse:
        if not public:
            if expected is None:
                return error_response(
                    401, "metrics need a bearer token: set ADMIN_TOKEN (or METRICS_PUBLIC)"
                )
            if not bearer_matches(request, expected):
                return error_response(401, "missing or wrong bearer token")
        body = await metrics_of(request).render()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    return scrape


def admin_token(settings: Settings) -> str | None:
    return settings.admin_token.get_secret_value() if settings.admin_token else None


@contextlib.asynccontextmanager
async def listener(metrics: Metrics, settings: Settings) -> AsyncIterator[None]:
    """Serve ``/metrics`` alone on ``HOST:METRICS_PORT`` while inside (if it is set)."""
    port = settings.metrics_port
    if port is None:
        yield
        return
    app = web.Application()
    scrape = handler(lambda _: metrics, admin_token(settings), public=settings.metrics_public)
    app.router.add_get(PATH, scrape)
    runner = web.AppRunner(app, access_log_class=AccessLog)
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.host, port).start()
        log.info("Metrics on %s:%d%s", settings.host, port, PATH)
        yield
    finally:
        await runner.cleanup()


def process_metrics(redis: Redis, bot: Bot | None = None) -> Metrics:
    """The Metrics of a worker or feed process: its Redis failures and its bot's 429s (the
    feed process has no bot). The web app's are made by its ``metrics`` resource."""
    metrics = Metrics()
    metrics.watch_redis(redis)
    if bot is not None:
        count_rate_limits(bot, metrics)
    return metrics
