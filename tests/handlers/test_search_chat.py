"""Job search in groups through the real Dispatcher and the simulator."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from redis.asyncio import Redis

from jobfeed.keys import Keys
from tests.conftest import redis_url
from tests.handlers.search_chat import (
    BOT_USERNAME,
    applied_ids,
    load,
    sample_queries,
    sample_vacancies,
    start_payloads,
)
from tests.harness import System, running_system

GROUP = -1001500000001
QUERIES = sample_queries()
VACANCIES = {v.id: v for v in sample_vacancies()}


def first(form: str) -> dict[str, Any]:
    return next(q for q in QUERIES if q["form"] == form)


@pytest.fixture
async def searching(system: System) -> System:
    await load(system, list(VACANCIES.values()))
    system.sim.add_chat(GROUP, title="求职交流群")
    return system


async def ask(system: System, text: str, user_id: int, chat_id: int = GROUP, **kw: object) -> int:
    update = system.sim.user_message(chat_id, user_id, text, **kw)  # type: ignore[arg-type]
    await system.settle()
    return int(update["message"]["message_id"])


async def test_a_query_gets_a_threaded_reply_with_apply_buttons_and_a_more_link(
    searching: System,
) -> None:
    query = first("located")
    asked = await ask(searching, str(query["text"]), 41)

    [answer] = searching.sim.messages_in(GROUP)
    assert answer.reply_to_message_id == asked
    ids = applied_ids(answer)
    assert len(ids) == 3
    assert set(ids) & set(query["relevant_ids"])
    shown = answer.plain_text or ""
    for vacancy_id in ids:  # title, employer, place and pay of each
        vacancy = VACANCIES[vacancy_id]
        assert vacancy.title in shown and vacancy.employer in shown
        assert vacancy.city in shown and vacancy.pay_text() in shown
    [more] = [p for p in start_payloads(answer) if p.startswith("search_")]
    assert re.fullmatch(r"search_[A-Za-z0-9_-]{16}", more)


async def test_an_answer_says_briefly_why_each_line_matched(searching: System) -> None:
    await ask(searching, "包吃住的电悍工", 42)
    [answer] = searching.sim.messages_in(GROUP)
    shown = answer.plain_text or ""
    assert shown.count("✅ 同音 · 满足：包吃住") == 3, shown
    for vacancy_id in applied_ids(answer):
        benefits = set(VACANCIES[vacancy_id].benefits)
        assert "包吃包住" in benefits or {"包住宿", "提供工作餐"} <= benefits


async def test_an_unmet_pay_wish_is_named_with_the_highest_pay(searching: System) -> None:
    await ask(searching, "有没有50000以上的保安", 43)
    [answer] = searching.sim.messages_in(GROUP)
    shown = answer.plain_text or ""
    top = re.search(r"没有50000以上的，最高(\d+)", shown)
    assert top is not None, shown
    ids = applied_ids(answer)
    assert len(ids) == 3  # the nearest are shown all the same, the best paid first
    assert VACANCIES[ids[0]].salary_max == int(top.group(1))


async def test_chatter_gets_silence_and_writes_nothing(searching: System, redis: Redis) -> None:
    chatter = [str(q["text"]) for q in QUERIES if not q["is_query"]]
    for n, text in enumerate(chatter):
        searching.sim.user_message(GROUP, 50 + n, text)
    await searching.settle()

    assert searching.sim.messages_in(GROUP) == []
    keys = searching.services.keys
    assert [k async for k in redis.scan_iter(match=f"{keys.prefix}:search:*")] == []


@pytest.mark.parametrize(
    "text",
    ["/jobs 电焊工", f"/jobs@{BOT_USERNAME} 保安", f"@{BOT_USERNAME} 有叉车司机吗", "/jobs"],
)
async def test_commands_and_mentions_are_answered(searching: System, text: str) -> None:
    asked = await ask(searching, text, 42)
    [answer] = searching.sim.messages_in(GROUP)
    assert answer.reply_to_message_id == asked
    if text == "/jobs":
        assert "想找什么工作" in (answer.plain_text or "")
    else:
        assert len(applied_ids(answer)) == 3


async def test_a_reply_to_the_bot_is_a_query_unless_it_is_talk(searching: System) -> None:
    await ask(searching, "/jobs 电焊工", 43)
    [post] = searching.sim.messages_in(GROUP)
    await ask(searching, "谢谢", 44, reply_to_message_id=post.message_id)
    await ask(searching, "工资多少", 45, reply_to_message_id=post.message_id)
    assert len(searching.sim.messages_in(GROUP)) == 1

    asked = await ask(searching, "保安呢", 46, reply_to_message_id=post.message_id)
    answer = searching.sim.messages_in(GROUP)[-1]
    assert answer.reply_to_message_id == asked
    assert all(VACANCIES[i].title.endswith("保安") for i in applied_ids(answer))


async def test_other_bots_commands_are_not_ours(searching: System) -> None:
    await ask(searching, "/jobs@some_other_bot 电焊工", 47)
    await ask(searching, "/start 电焊工", 48)
    assert searching.sim.messages_in(GROUP) == []


async def test_nothing_found_says_so_with_a_hint_and_no_unrelated_jobs(searching: System) -> None:
    query = first("no_match")
    asked = await ask(searching, str(query["text"]), 49)
    [answer] = searching.sim.messages_in(GROUP)
    assert answer.reply_to_message_id == asked
    assert "没有找到" in (answer.plain_text or "")
    assert "招得多的有" in (answer.plain_text or "")
    [alert] = start_payloads(answer)  # no jobs: only 有新岗位通知我 (it opens the private chat)
    assert alert.startswith("alert_")


async def test_user_text_is_escaped(searching: System) -> None:
    await ask(searching, f"@{BOT_USERNAME} <b>电焊工</b> & 天津", 51)
    [answer] = searching.sim.messages_in(GROUP)
    assert "<b>电焊工</b>" not in (answer.plain_text or "")  # shown as typed, never as markup
    assert searching.sim.rejections == []


async def test_one_answer_per_user_in_the_interval_and_no_late_answer(searching: System) -> None:
    await ask(searching, "/jobs 电焊工", 52)
    await ask(searching, "/jobs 保安", 52)
    await ask(searching, "/jobs 叉车司机", 52, chat_id=GROUP)
    await asyncio.sleep(0.3)
    await searching.settle()
    assert len(searching.sim.messages_in(GROUP)) == 1


async def test_a_group_gets_a_few_answers_a_minute(searching: System) -> None:
    limit = searching.services.settings.search_group_per_minute
    for n in range(limit + 4):
        searching.sim.user_message(GROUP, 100 + n, "/jobs 电焊工")
    await searching.settle()
    assert len(searching.sim.messages_in(GROUP)) == limit
    other = GROUP - 1
    searching.sim.add_chat(other, title="另一个群")
    await ask(searching, "/jobs 电焊工", 200, chat_id=other)
    assert len(searching.sim.messages_in(other)) == 1  # the budget is per group


@pytest.fixture
async def unthrottled(keys: Keys, redis: Redis) -> AsyncIterator[System]:
    """Only Telegram's budget limits answers: no per-user or per-group throttle."""
    async with running_system(
        keys, redis_url(), search_user_seconds=0, search_group_per_minute=20
    ) as running:
        await load(running, list(VACANCIES.values()))
        running.sim.add_chat(GROUP, title="求职交流群")
        yield running


async def test_answers_and_broadcasts_share_the_groups_twenty_a_minute(
    unthrottled: System,
) -> None:
    system = unthrottled
    budget = system.services.settings.group_rate_per_minute
    # A broadcast sends as the broadcast workers do: a slot from the shared pacer first.
    for n in range(budget - 3):
        await system.services.pacer.acquire(GROUP)
        await system.bot.send_message(GROUP, f"岗位推送 {n}")
    for n in range(10):
        system.sim.user_message(GROUP, 300 + n, "/jobs 电焊工")
    await system.settle()

    answers = [m for m in system.sim.messages_in(GROUP) if m.reply_to_message_id]
    assert len(answers) == 3
    assert len(system.sim.messages_in(GROUP)) == budget
    assert system.sim.count_429 == 0
