"""Availability and alerts through the running system: the real Dispatcher, the Bot API
simulator, Redis, the feed importer, and the alert jobs as ``python -m bot run`` starts
them (their clock injected where a test needs another time of day)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.appkeys import ALERTING, APPROVALS
from devkit.telegram import SentMessage
from jobfeed.keys import Keys
from jobfeed.models import utcnow
from jobfeed.posting import VacancyDraft
from jobfeed.sources.importer import VacancyImporter
from jobfeed.sources.jsonl import parse_jsonl
from jobfeed.sources.ledger import FeedLedger
from jobfeed.sources.normalise import Normaliser, SourceIdentity
from jobfeed.sources.place import PlaceResolver
from tests.applications.factories import draft
from tests.conftest import redis_url
from tests.handlers.resume_chat import Chat
from tests.handlers.search_chat import applied_ids, callback_data, load
from tests.harness import System, running_system

SEEKER = 63001
OTHER = 63002
ZONE = ZoneInfo("Asia/Shanghai")
ALERT = "符合你的求职意向"


@pytest.fixture
async def capped(keys: Keys, redis: Any) -> AsyncIterator[System]:
    async with running_system(keys, redis_url(), alerts_per_day=1) as running:
        yield running


@pytest.fixture
async def quiet(keys: Keys, redis: Any) -> AsyncIterator[System]:
    async with running_system(keys, redis_url(), quiet_hours="22:00-07:00") as running:
        yield running


def row(vacancy_id: str, title: str, city: str, province: str, pay: int = 9000) -> dict[str, Any]:
    return {
        "id": vacancy_id,
        "title": title,
        "employer": "草原铝业",
        "city": city,
        "province": province,
        "salary_min": pay - 2000,
        "salary_max": pay,
        "salary_unit": "month",
        "posted_at": utcnow().isoformat(),
        # Without them the post checker holds the vacancy (jobfeed.compliance).
        "requirements": "能吃苦耐劳",
        "description": f"负责{title}相关工作",
    }


async def feed(system: System, *rows: dict[str, Any]) -> None:
    """Import ``rows`` as a feed does; then wait until the alert matcher looked at them."""
    services = system.services
    importer = VacancyImporter(
        services.vacancies,
        FeedLedger(services.redis, services.keys),
        Normaliser(PlaceResolver(services.places), ZONE, timedelta(days=30)),
    )
    matcher = system.app[ALERTING].matcher
    before = matcher.matched
    lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in rows]
    report = await importer.run(parse_jsonl(lines, set()), SourceIdentity("feed"))
    assert report.rejected == []
    await until(lambda: matcher.matched >= before + len(rows), "the matcher looked")


async def until(check: Any, what: str, within: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not check():
        assert asyncio.get_running_loop().time() < deadline, f"waited in vain: {what}"
        await asyncio.sleep(0.02)


async def sent_out(system: System) -> None:
    """Until nothing due is left in the alert queue (what is due later stays)."""
    alerting = system.app[ALERTING]
    deadline = asyncio.get_running_loop().time() + 10
    while await alerting.queue.due(alerting.sender.clock()):
        assert asyncio.get_running_loop().time() < deadline, "alerts still due"
        await asyncio.sleep(0.05)
    await system.settle()


def alerts(system: System, user: int) -> list[SentMessage]:
    return [m for m in system.sim.messages_in(user) if ALERT in (m.plain_text or "")]


async def subscribe_from_search(chat: Chat, query: str) -> str:
    answer = await chat.say(query)
    assert "有新岗位通知我" in json.dumps(chat.last.reply_markup, ensure_ascii=False)
    offer = await chat.press("有新岗位通知我")
    assert "保存期限" in offer and "/forget" in offer
    return answer


async def subscribe(chat: Chat, query: str) -> None:
    await subscribe_from_search(chat, query)
    assert "已开启提醒" in await chat.press("同意并开启")


def local(day_offset: int, at: time) -> datetime:
    today = utcnow().astimezone(ZONE).date()
    return datetime.combine(today + timedelta(days=day_offset), at, tzinfo=ZONE)


async def test_a_not_found_subscription_is_alerted_of_a_matching_feed_vacancy_only(
    system: System,
) -> None:
    await load(system, [])
    chat = Chat(system, SEEKER)
    answer = await subscribe_from_search(chat, "通辽 电焊工")
    assert "没有找到" in answer
    assert "通辽" in chat.last_text and "电焊工" in chat.last_text
    assert "已开启提醒" in await chat.press("同意并开启")
    [mine] = await system.app[ALERTING].availabilities.of_person(SEEKER)
    assert mine.trades == ("电焊工",) and [p.name for p in mine.places] == ["通辽"]

    await feed(
        system,
        row("tl-weld-1", "急招氩弧焊工", "科尔沁区", "内蒙古"),  # a district of 通辽
        row("tl-cook-1", "中餐厨师", "通辽", "内蒙古"),
        row("tj-weld-1", "电焊工", "天津", "天津"),
    )
    await sent_out(system)
    [alert] = alerts(system, SEEKER)
    text = alert.plain_text or ""
    assert "急招氩弧焊工" in text and "科尔沁" in text and "9000" in text
    assert applied_ids(alert) == ["tl-weld-1"]
    assert callback_data(alert, "al:stop")


async def test_no_repeats_edits_alert_nobody_again_and_applied_ones_none(system: System) -> None:
    await load(system, [])
    chat = Chat(system, SEEKER)
    await subscribe(chat, "电焊工")
    await subscribe(chat, "焊工")  # a second availability the same vacancy fits
    await system.services.applications.submit(draft(SEEKER, "weld-applied"))
    await feed(system, row("weld-1", "电焊工", "天津", "天津"))
    await sent_out(system)
    assert len(alerts(system, SEEKER)) == 1
    # The feed edits it (more pay), and brings the one already applied to.
    await feed(
        system,
        row("weld-1", "电焊工", "天津", "天津", pay=12000),
        row("weld-applied", "电焊工", "天津", "天津"),
    )
    await sent_out(system)
    assert len(alerts(system, SEEKER)) == 1


async def test_an_edit_that_now_matches_alerts(system: System) -> None:
    await load(system, [])
    await subscribe(Chat(system, SEEKER), "电焊工 8000以上")
    await feed(system, row("weld-low", "电焊工", "天津", "天津", pay=6000))
    await sent_out(system)
    assert alerts(system, SEEKER) == []
    await feed(system, row("weld-low", "电焊工", "天津", "天津", pay=8500))
    await sent_out(system)
    assert applied_ids(alerts(system, SEEKER)[0]) == ["weld-low"]


async def test_over_the_day_cap_into_one_digest_the_next_morning(capped: System) -> None:
    system = capped
    await load(system, [])
    await subscribe(Chat(system, SEEKER), "保安")
    await feed(system, *(row(f"guard-{n}", "保安", "包头", "内蒙古") for n in range(3)))
    await sent_out(system)
    assert len(alerts(system, SEEKER)) == 1  # ALERTS_PER_DAY=1
    queue = system.app[ALERTING].queue
    assert len(await queue.digest(SEEKER)) == 2

    system.app[ALERTING].set_clock(lambda: local(1, time(9, 0)))
    await until(lambda: len(alerts(system, SEEKER)) == 2, "the digest")
    await sent_out(system)
    digest = alerts(system, SEEKER)[1]
    assert "2 个新岗位" in (digest.plain_text or "")
    assert sorted(applied_ids(digest)) == ["guard-1", "guard-2"]
    assert await queue.digest(SEEKER) == [] and await queue.size() == 0


async def test_quiet_hours_hold_alerts_until_they_end(quiet: System) -> None:
    system = quiet
    alerting = system.app[ALERTING]
    await load(system, [])
    await subscribe(Chat(system, SEEKER), "厨师")
    alerting.set_clock(lambda: local(0, time(23, 0)))
    await feed(system, row("cook-1", "厨师", "天津", "天津"))
    await asyncio.sleep(1.5)  # more than a turn of the sender
    assert alerts(system, SEEKER) == [] and await alerting.queue.size() == 1
    alerting.set_clock(lambda: local(1, time(7, 1)))
    await until(lambda: len(alerts(system, SEEKER)) == 1, "the alert after quiet hours")


async def test_stop_button_under_an_alert_and_a_blocked_bot_stop_alerts(system: System) -> None:
    await load(system, [])
    chat = Chat(system, SEEKER)
    await subscribe(chat, "普工")
    other = Chat(system, OTHER)
    await subscribe(other, "普工")
    await feed(system, row("worker-1", "普工", "天津", "天津"))
    await sent_out(system)
    [alert] = alerts(system, SEEKER)
    assert "已停止全部新岗位提醒" in await chat.press("停止提醒", alert)
    system.sim.block(OTHER)  # OTHER blocks the bot: the next alert gets 403
    await feed(system, row("worker-2", "普工", "天津", "天津"))
    await sent_out(system)
    assert len(alerts(system, SEEKER)) == 1 and len(alerts(system, OTHER)) == 1
    availabilities = system.app[ALERTING].availabilities
    assert not await availabilities.alerted(SEEKER) and not await availabilities.alerted(OTHER)
    assert "已停止" in await chat.say("/alerts")
    await feed(system, row("worker-3", "普工", "天津", "天津"))
    await sent_out(system)
    assert len(alerts(system, SEEKER)) == 1


async def test_subscribe_command_alerts_list_delete_and_forget(system: System) -> None:
    await load(system, [])
    chat = Chat(system, SEEKER)
    assert "/subscribe" in await chat.say("/subscribe")  # nothing asked yet: how to
    await chat.say("包头 叉车司机")
    assert "包头" in await chat.say("/subscribe")  # the query just asked
    await chat.press("同意并开启")
    assert "月薪：7000以上" in await chat.say("订阅电工 7000以上")
    await chat.press("同意并开启")
    listing = await chat.say("/alerts")
    assert "叉车司机" in listing and "电工" in listing
    await chat.press("删除 2")
    assert "电工" not in chat.last_text and "叉车司机" in chat.last_text

    await chat.say("/forget")
    await chat.press("确认删除")
    availabilities = system.app[ALERTING].availabilities
    assert await availabilities.of_person(SEEKER) == []
    redis, keys = system.services.redis, system.services.keys
    assert not await redis.exists(keys.person_availabilities(SEEKER))
    assert await redis.hlen(keys.availabilities) == 0
    await feed(system, row("fork-1", "叉车司机", "包头", "内蒙古"))
    await sent_out(system)
    assert alerts(system, SEEKER) == []


async def test_a_posted_vacancy_alerts_once_approved_not_while_pending(system: System) -> None:
    await load(system, [])
    await subscribe(Chat(system, SEEKER), "烟台 电焊工")
    approvals, matcher = system.app[APPROVALS], system.app[ALERTING].matcher
    draft_ = VacancyDraft(
        title="电焊工",
        employer="草原铝业",
        city="烟台",
        province="山东",
        salary_min=6000,
        salary_max=9000,
        headcount=2,
        requirements="持焊工证",
        description="负责钢结构焊接",
        contact_phone="13912345678",
    )
    vacancy, _ = await approvals.submit(draft_, recruiter_id=700009)
    await asyncio.sleep(1.5)  # a pending vacancy is not listed: nothing to match
    assert matcher.matched == 0 and alerts(system, SEEKER) == []
    await approvals.approve(vacancy.id, "admin")
    await until(lambda: matcher.matched == 1, "the matcher looked")
    await sent_out(system)
    [alert] = alerts(system, SEEKER)
    assert applied_ids(alert) == [vacancy.id]


async def test_a_vacancy_held_by_the_post_checker_alerts_nobody(system: System) -> None:
    """A held vacancy is not listed (jobfeed.compliance): the matcher never sees it and
    nobody is alerted of it; its lawful twin alerts."""
    await load(system, [])
    await subscribe(Chat(system, SEEKER), "包头 电焊工")
    unlawful = row("bt-weld-held", "电焊工", "包头", "内蒙古") | {"requirements": "限男性"}
    lawful = row("bt-weld-ok", "电焊工", "包头", "内蒙古")
    matcher = system.app[ALERTING].matcher
    services = system.services
    importer = VacancyImporter(
        services.vacancies,
        FeedLedger(services.redis, services.keys),
        Normaliser(PlaceResolver(services.places), ZONE, timedelta(days=30)),
    )
    lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in (unlawful, lawful)]
    report = await importer.run(parse_jsonl(lines, set()), SourceIdentity("feed"))
    assert report.held_ids == ["bt-weld-held"]
    await until(lambda: matcher.matched >= 1, "the matcher looked")
    await asyncio.sleep(0.5)  # time enough to (wrongly) look at the held one too
    assert matcher.matched == 1
    await sent_out(system)
    [alert] = alerts(system, SEEKER)
    assert applied_ids(alert) == ["bt-weld-ok"]
