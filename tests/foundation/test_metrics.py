"""``/metrics``: scraped through the real app after real traffic (updates by webhook from
the simulator, searches, a broadcast), the listener of ``METRICS_PORT``, who may scrape,
and the Redis failures counted at the connections."""

from __future__ import annotations

import asyncio
import math
import socket
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import ClientSession
from prometheus_client.parser import text_string_to_metric_families
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError, ResponseError

from bot.app import WEBHOOK_PATH
from bot.appkeys import METRICS
from bot.broadcasting import run_here
from bot.metrics import Metrics, listener
from bot.telegram.intake import SECRET_HEADER
from jobfeed.keys import Keys
from tests.broadcast.conftest import sample_groups, sample_vacancies
from tests.conftest import redis_url
from tests.foundation.test_config import GOOD_TOKEN, run_bot
from tests.foundation.test_startup_errors import assert_one_line
from tests.handlers.test_application_delivery import _apply, _ready
from tests.harness import ADMIN_ID, ADMIN_TOKEN, System, free_port, make_settings, running_system

SECRET = "metrics-webhook-secret"
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture
async def webhook_system(keys: Keys, redis: Redis) -> AsyncIterator[System]:
    async with running_system(keys, redis_url(), webhook_secret=SECRET) as system:
        yield system


async def scrape(url: str, token: str | None = ADMIN_TOKEN) -> tuple[int, str, str]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with ClientSession() as http, http.get(url, headers=headers) as response:
        return response.status, response.headers["Content-Type"], await response.text()


def parse(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples[(name, frozenset(labels.items()))]


async def test_the_counters_move_with_updates_searches_and_a_broadcast(
    webhook_system: System,
) -> None:
    system = webhook_system
    sim = system.sim
    # Updates, delivered by the simulator to the webhook.
    sim.bot_added(-1003, by_user_id=ADMIN_ID, title="天津社群")
    await system.settle()
    sim.faults.retry_after_storm(1, retry_after=1)  # the reply to /tag waits once
    sim.user_message(-1003, ADMIN_ID, "/tag city=天津")
    await system.settle()
    before = parse((await scrape(system.base_url + "/metrics"))[2])
    assert value(before, "zhaopin_updates_received_total", channel="telegram") == 2
    assert value(before, "zhaopin_updates_handled_total", channel="telegram") == 2

    # A second delivery of the same update is no new update.
    update = sim.user_message(-1003, ADMIN_ID, "/tag city=包头")
    await system.settle()
    async with (
        ClientSession() as http,
        http.post(system.base_url + WEBHOOK_PATH, json=update, headers={SECRET_HEADER: SECRET}),
    ):
        pass
    await system.settle()

    # Searches: one that finds, one that does not.
    groups = sample_groups(12)
    for group in groups:
        sim.add_chat(group.chat_id, title=group.title)
    await system.services.groups.upsert_many(groups)
    vacancies = sample_vacancies(3)
    await system.services.vacancies.save_many(vacancies)
    assert await system.services.search_service.ready()
    for _ in range(100):  # the index follows the vacancies saved just now
        status, found = await system.api("GET", "/api/search", params={"q": vacancies[0].title})
        if status == 200 and found["total"]:
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("the vacancies never reached the search index")
    status, found = await system.api("GET", "/api/search", params={"q": "宇航员 火星"})
    assert status == 200 and found["total"] == 0

    # A small broadcast, one send answered 429 first.
    status, created = await system.api(
        "POST", "/api/broadcasts", json={"vacancy_ids": [vacancies[0].id], "target": {}}
    )
    assert status == 201, created
    sim.faults.retry_after_storm(1, retry_after=1)
    telegram = system.app[METRICS].channel("telegram")
    [done] = await run_here(system.crew(), [created["id"]], observer=telegram)
    assert done.delivered == created["targeted"]

    status, content_type, text = await scrape(system.base_url + "/metrics")
    assert status == 200 and content_type.startswith("text/plain")
    after = parse(text)
    assert value(after, "zhaopin_updates_received_total", channel="telegram") == 3
    assert value(after, "zhaopin_updates_handled_total", channel="telegram") == 3
    assert value(after, "zhaopin_updates_failed_total", channel="telegram") == 0
    assert value(after, "zhaopin_updates_adopted_total", channel="telegram") == 0
    assert value(after, "zhaopin_update_handling_seconds_count", channel="telegram") == 3
    assert value(after, "zhaopin_intake_backlog") == 0
    assert value(after, "zhaopin_search_seconds_count") >= 2
    assert value(after, "zhaopin_searches_empty_total") >= 1
    assert value(after, "zhaopin_searches_empty_total") < value(
        after, "zhaopin_search_seconds_count"
    )
    sends = {"channel": "telegram", "action": "send"}
    assert (
        value(after, "zhaopin_broadcast_sends_total", outcome="delivered", **sends)
        == (created["targeted"])
    )
    assert value(after, "zhaopin_broadcast_sends_total", outcome="retry_after", **sends) == 1
    for source in ("update", "broadcast"):
        limited = {"channel": "telegram", "source": source}
        assert value(after, "zhaopin_rate_limited_total", **limited) == 1
        assert value(after, "zhaopin_retry_after_seconds_total", **limited) == 1
    assert value(after, "zhaopin_pacer_wait_seconds_count") >= created["targeted"] + 1
    assert value(after, "zhaopin_applications_filed_total") == 0
    assert value(after, "zhaopin_applications_delivered_total") == 0
    assert value(after, "zhaopin_alerts_sent_total") == 0
    for kind in ("connection", "timeout", "reply"):  # none in a healthy run
        assert value(after, "zhaopin_redis_errors_total", kind=kind) == 0


async def test_an_application_filed_and_its_card_delivered_are_counted(system: System) -> None:
    await _ready(system)
    await _apply(system, 610_777)
    samples = parse((await scrape(system.base_url + "/metrics"))[2])
    assert value(samples, "zhaopin_applications_filed_total") == 1
    assert value(samples, "zhaopin_applications_delivered_total") == 1


async def test_a_scrape_without_the_admin_token_is_refused(system: System) -> None:
    url = system.base_url + "/metrics"
    for token in (None, "wrong-token"):
        async with (
            ClientSession() as http,
            http.get(url, headers={"Authorization": f"Bearer {token}"} if token else {}) as r,
        ):
            assert r.status == 401
            assert r.content_type == "application/json"
            assert "bearer token" in (await r.json())["error"]
    status, _, text = await scrape(url)
    assert status == 200 and "zhaopin_updates_received_total" in text


@pytest.mark.parametrize("public", [False, True])
async def test_the_metrics_port_of_a_worker_or_feed_process(keys: Keys, public: bool) -> None:
    port = free_port()
    settings = make_settings(
        keys, redis_url(), metrics_port=port, metrics_public=public, host="127.0.0.1"
    )
    metrics = Metrics()
    metrics.filed()
    url = f"http://127.0.0.1:{port}/metrics"
    async with listener(metrics, settings):
        status, _, _ = await scrape(url, token=None)
        assert status == (200 if public else 401)
        status, _, text = await scrape(url)
        assert status == 200
        assert value(parse(text), "zhaopin_applications_filed_total") == 1
    with pytest.raises(OSError):  # closed with the process
        await scrape(url)


async def test_without_an_admin_token_only_a_public_port_serves_metrics(keys: Keys) -> None:
    port = free_port()
    settings = make_settings(keys, redis_url(), metrics_port=port, admin_token=None)
    async with listener(Metrics(), settings):
        status, _, body = await scrape(f"http://127.0.0.1:{port}/metrics", token=None)
    assert status == 401 and "ADMIN_TOKEN" in body


async def test_redis_failures_are_counted_at_the_connections(redis: Redis) -> None:
    metrics = Metrics()
    client = Redis.from_url(redis_url(), decode_responses=True)
    await client.ping()  # a connection made before the watch is counted too
    metrics.watch_redis(client)
    with pytest.raises(ResponseError):
        await client.execute_command("NO-SUCH-COMMAND")
    with pytest.raises(NoScriptError):  # how scripts get registered: not a failure
        await client.evalsha("0" * 40, 0)
    await client.aclose()
    unreachable = Redis(host="127.0.0.1", port=free_port(), socket_connect_timeout=1)
    metrics.watch_redis(unreachable)
    with pytest.raises(RedisConnectionError):
        await unreachable.ping()
    await unreachable.aclose()
    samples = parse((await metrics.render()).decode())
    assert ("zhaopin_intake_backlog", frozenset()) not in samples  # the web process's
    assert value(samples, "zhaopin_redis_errors_total", kind="reply") == 1
    assert value(samples, "zhaopin_redis_errors_total", kind="connection") >= 1
    assert value(samples, "zhaopin_redis_errors_total", kind="timeout") == 0


async def test_each_metrics_object_has_its_own_registry() -> None:
    first, second = Metrics(), Metrics()  # two apps in one test process, say
    first.filed()
    assert value(parse((await first.render()).decode()), "zhaopin_applications_filed_total") == 1
    assert value(parse((await second.render()).decode()), "zhaopin_applications_filed_total") == 0


@pytest.mark.parametrize("command", ["run", "worker"])
def test_a_busy_metrics_port_is_one_line_and_exit_2(command: str, tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {
            "BOT_TOKEN": GOOD_TOKEN,
            "REDIS_URL": redis_url(),
            "REDIS_PREFIX": f"t{uuid.uuid4().hex[:12]}",
            "HOST": "127.0.0.1",
            "PORT": str(free_port()),
            "METRICS_PORT": str(port),
            "TELEGRAM_API_BASE": "http://127.0.0.1:9",  # never reached before the bind
        }
        assert_one_line(run_bot(env, tmp_path, command), str(port), "METRICS_PORT")


def test_an_unknown_log_format_is_one_line(tmp_path: Path) -> None:
    env = {"BOT_TOKEN": GOOD_TOKEN, "LOG_FORMAT": "xml"}
    assert_one_line(run_bot(env, tmp_path), "LOG_FORMAT")


async def test_a_scrape_while_redis_is_down_still_answers() -> None:
    metrics = Metrics()
    backlog = [3]

    async def read() -> int:
        if not backlog:
            raise RedisConnectionError("Connection refused")
        return backlog[0]

    metrics.backlog_of(read)
    assert value(parse((await metrics.render()).decode()), "zhaopin_intake_backlog") == 3
    backlog.clear()
    reading = value(parse((await metrics.render()).decode()), "zhaopin_intake_backlog")
    assert math.isnan(reading)  # unknown, not the last value seen
