"""Alerts opened, and fewer alerts for someone who stops opening them, through the running
system: the alert's 报名 link counts as an open; after ``ALERTS_UNOPENED_HALVING`` unopened
alerts in a row the day's cap halves; an open makes it whole again."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.appkeys import ALERTING, MATCHMAKING
from jobfeed.keys import Keys
from jobfeed.matching.alerts import AlertPolicy
from tests.conftest import redis_url
from tests.handlers.resume_chat import Chat
from tests.handlers.search_chat import load
from tests.handlers.test_alerts import alerts, feed, row, sent_out, subscribe
from tests.harness import System, running_system

SEEKER = 66001


@pytest.fixture
async def halving(keys: Keys, redis: Any) -> AsyncIterator[System]:
    async with running_system(
        keys, redis_url(), alerts_per_day=2, alerts_unopened_halving=1
    ) as running:
        yield running


def test_the_cap_halves_for_every_run_and_never_goes_below_one() -> None:
    policy = AlertPolicy(8, ZoneInfo("Asia/Shanghai"), halve_after=3)
    assert [policy.cap(n) for n in (0, 2, 3, 5, 6, 9, 12, 300)] == [8, 8, 4, 4, 2, 1, 1, 1]
    assert AlertPolicy(8, ZoneInfo("Asia/Shanghai")).cap(300) == 8  # halving off


async def test_an_open_is_counted_and_resets_the_halved_cap(halving: System) -> None:
    system = halving
    await load(system, [])
    chat = Chat(system, SEEKER)
    await subscribe(chat, "保安")
    await feed(system, row("guard-1", "保安", "包头", "内蒙古"))
    await sent_out(system)
    await feed(system, row("guard-2", "保安", "包头", "内蒙古"))
    await sent_out(system)
    # One unopened alert halved the cap of 2 to 1: the second waits for the digest.
    assert len(alerts(system, SEEKER)) == 1
    assert await system.app[ALERTING].queue.digest(SEEKER) == ["guard-2"]

    await chat.say("/start apply_guard-1")  # the alert's 报名 button
    await chat.say("/cancel")
    await chat.say("/start apply_guard-1")  # a second open of the same alert counts once
    await chat.say("/cancel")
    figures = system.app[MATCHMAKING].figures
    assert await figures.unopened(SEEKER) == 0
    await feed(system, row("guard-3", "保安", "包头", "内蒙古"))
    await sent_out(system)
    assert len(alerts(system, SEEKER)) == 2  # the whole cap again

    status, body = await system.api("GET", "/api/stats/matching?days=1")
    assert status == 200
    [today] = body["days"]
    assert today["alerts_sent"] == 2 and today["alerts_opened"] == 1
