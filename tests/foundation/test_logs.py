"""Log lines: JSON with the ids of what is being handled, one access line per request
without query strings or headers, aiogram's per-update lines only when debugging, and
secrets and phone numbers scrubbed whatever the format."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp import ClientSession
from redis.asyncio import Redis

from bot.app import WEBHOOK_PATH
from bot.broadcasting import run_here
from bot.logs import configure
from bot.telegram.intake import SECRET_HEADER
from jobfeed.keys import Keys
from tests.broadcast.conftest import sample_groups, sample_vacancies
from tests.conftest import redis_url
from tests.harness import ADMIN_ID, ADMIN_TOKEN, TEST_TOKEN, running_system

SECRET = "logs-webhook-secret"
PHONE = "13812345678"


@pytest.fixture
def restored() -> Iterator[None]:
    """``configure`` sets the process's logging up: put it back as pytest had it."""
    root = logging.getLogger()
    names = ("aiogram.event", "aiohttp.access")
    saved = root.handlers[:], root.level, [logging.getLogger(n).level for n in names]
    yield
    root.handlers[:], level, levels = saved
    root.setLevel(level)
    for name, old in zip(names, levels, strict=True):
        logging.getLogger(name).setLevel(old)


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


async def test_json_lines_name_the_update_chat_and_broadcast(
    keys: Keys, redis: Redis, restored: None
) -> None:
    stream = io.StringIO()
    configure("INFO", [TEST_TOKEN, ADMIN_TOKEN, SECRET], "json", stream)
    async with running_system(keys, redis_url(), webhook_secret=SECRET) as system:
        added = system.sim.bot_added(-1003, by_user_id=ADMIN_ID, title="天津社群")
        await system.settle()
        async with ClientSession() as http:
            url = system.base_url + WEBHOOK_PATH + "?token=" + ADMIN_TOKEN
            future = {"update_id": 777_001, "some_future_thing": {"x": 1}}
            async with http.post(url, json=future, headers={SECRET_HEADER: SECRET}) as r:
                assert r.status == 200
        await system.settle()
        groups = sample_groups(3)
        for group in groups:
            system.sim.add_chat(group.chat_id, title=group.title)
        await system.services.groups.upsert_many(groups)
        [vacancy] = sample_vacancies(1)
        await system.services.vacancies.save_many([vacancy])
        status, created = await system.api(
            "POST", "/api/broadcasts", json={"vacancy_ids": [vacancy.id], "target": {}}
        )
        assert status == 201
        system.sim.faults.retry_after_storm(1, retry_after=1)
        await run_here(system.crew(), [created["id"]])

    found = lines(stream)  # every line is one JSON object
    assert all({"time", "level", "logger", "message"} <= set(line) for line in found)
    joined = [line for line in found if line["message"].startswith("Joined group -1003")]
    assert joined and joined[0]["update_id"] == added["update_id"]
    assert joined[0]["chat_id"] == -1003 and joined[0]["logger"] == "handlers.groups"
    dropped = [line for line in found if line.get("update_id") == 777_001]
    assert dropped and dropped[0]["level"] == "WARNING" and "chat_id" not in dropped[0]
    flood = [line for line in found if line["message"].startswith("Flood control")]
    assert flood and flood[0]["broadcast_id"] == created["id"] and "chat_id" in flood[0]

    access = [line for line in found if line["logger"] == "aiohttp.access"]
    webhook = [line for line in access if line["path"] == WEBHOOK_PATH]
    assert webhook and {line["method"] for line in webhook} == {"POST"}
    assert {line["status"] for line in webhook} == {200} and webhook[0]["level"] == "INFO"
    api = [line for line in access if line["path"] == "/api/broadcasts"]
    assert [line["status"] for line in api] == [201]
    assert not [line for line in found if line["logger"] == "aiogram.event"]
    text = stream.getvalue()
    for secret in (SECRET, ADMIN_TOKEN, TEST_TOKEN, "?token="):
        assert secret not in text  # no header, no query string, no token


def test_secrets_and_phones_never_reach_a_json_line(restored: None) -> None:
    stream = io.StringIO()
    configure("INFO", [TEST_TOKEN], "json", stream)
    log = logging.getLogger("tests.logs")
    log.warning("calling https://api.telegram.org/bot%s/getMe for %s", TEST_TOKEN, PHONE)
    try:
        raise ValueError(f"bad reply for bot{TEST_TOKEN}, contact {PHONE}")
    except ValueError:
        log.exception("Request failed")
    warning, error = lines(stream)
    assert warning["message"] == (
        "calling https://api.telegram.org/bot[redacted]/getMe for 138****5678"
    )
    assert error["level"] == "ERROR" and "ValueError" in error["exception"]
    assert "[redacted]" in error["exception"] and "138****5678" in error["exception"]
    text = stream.getvalue()
    assert TEST_TOKEN not in text and PHONE not in text


def test_text_stays_the_default_and_aiogram_speaks_per_update_only_when_debugging(
    restored: None,
) -> None:
    stream = io.StringIO()
    configure("INFO", [], stream=stream)
    logging.getLogger("tests.logs").info("plain")
    assert " INFO tests.logs: plain" in stream.getvalue()
    assert not logging.getLogger("aiogram.event").isEnabledFor(logging.INFO)
    assert logging.getLogger("aiohttp.access").isEnabledFor(logging.INFO)
    configure("DEBUG", [], stream=stream)
    assert logging.getLogger("aiogram.event").isEnabledFor(logging.INFO)
