"""Job search in private chat: paging, filters, the 更多 link and its buttons' checks."""

from __future__ import annotations

import re

import pytest

from devkit.telegram import SentMessage
from handlers.search.callbacks import SearchPage
from jobfeed.search.saved import SavedSearch
from tests.handlers.search_chat import (
    applied_ids,
    callback_data,
    load,
    sample_queries,
    sample_vacancies,
    start_payloads,
)
from tests.harness import System

SEEKER = 61001
OTHER = 61002
GROUP = -1001500000002
VACANCIES = {v.id: v for v in sample_vacancies()}


@pytest.fixture
async def searching(system: System) -> System:
    await load(system, list(VACANCIES.values()))
    return system


async def say(system: System, user_id: int, text: str) -> SentMessage:
    system.sim.user_message(user_id, user_id, text)
    await system.settle()
    return system.sim.messages_in(user_id)[-1]


async def press(system: System, user_id: int, message: SentMessage, data: str) -> None:
    system.sim.callback(user_id, message.chat_id, message.message_id, data)
    await system.settle()


def now(system: System, message: SentMessage) -> SentMessage:
    return system.sim.messages[(message.chat_id, message.message_id)]


def numbers(message: SentMessage) -> list[int]:
    return [int(n) for n in re.findall(r"^(\d+)\. ", message.plain_text or "", re.M)]


async def test_any_text_is_a_search_with_pages(searching: System) -> None:
    page = await say(searching, SEEKER, "电焊工")
    assert numbers(page) == [1, 2, 3, 4, 5]
    first_ids = applied_ids(page)
    assert len(first_ids) == 5 and all("焊" in VACANCIES[i].title for i in first_ids)
    assert "第 1/" in (page.plain_text or "")
    [ahead] = callback_data(page, "sp:")  # no "previous" on the first page

    await press(searching, SEEKER, page, ahead)
    second = now(searching, page)
    assert numbers(second) == [6, 7, 8, 9, 10]
    assert not set(applied_ids(second)) & set(first_ids)
    back = next(d for d in callback_data(second, "sp:") if SearchPage.unpack(d).p == 0)

    await press(searching, SEEKER, second, back)
    assert applied_ids(now(searching, page)) == first_ids
    answers = searching.sim.callback_answers
    assert len(answers) == 2 and not any(a.show_alert for a in answers)


async def test_small_talk_gets_how_to_search(searching: System) -> None:
    answer = await say(searching, SEEKER, "谢谢")
    assert "想找什么工作" in (answer.plain_text or "")
    assert applied_ids(answer) == []


async def test_a_replayed_press_changes_nothing_and_is_answered(searching: System) -> None:
    page = await say(searching, SEEKER, "保安")
    [ahead] = callback_data(page, "sp:")
    await press(searching, SEEKER, page, ahead)
    shown = now(searching, page).plain_text
    await press(searching, SEEKER, page, ahead)
    assert now(searching, page).plain_text == shown
    assert len(searching.sim.callback_answers) == 2
    assert searching.sim.rejections == [] or all(
        "not modified" in r.description for r in searching.sim.rejections
    )


async def test_someone_elses_button_is_refused_with_an_alert(searching: System) -> None:
    page = await say(searching, SEEKER, "电焊工")
    searching.sim.add_user(OTHER, "路人")
    [ahead] = callback_data(page, "sp:")
    shown = now(searching, page).plain_text
    await press(searching, OTHER, page, ahead)
    [answer] = searching.sim.callback_answers
    assert answer.show_alert and "别人的搜索" in (answer.text or "")
    assert now(searching, page).plain_text == shown


async def test_pay_filter(searching: System) -> None:
    page = await say(searching, SEEKER, "普工")
    [menu] = [d for d in callback_data(page, "sm:") if d.endswith(":p")]
    await press(searching, SEEKER, page, menu)
    choices = callback_data(now(searching, page), "ss:")
    assert [d.rsplit(":", 1)[1] for d in choices] == ["3000", "5000", "8000", "10000", ""]

    await press(searching, SEEKER, page, next(d for d in choices if d.endswith(":8000")))
    filtered = now(searching, page)
    assert "月薪8000以上" in (filtered.plain_text or "")
    for vacancy_id in applied_ids(filtered):
        vacancy = VACANCIES[vacancy_id]
        top = vacancy.salary_max or vacancy.salary_min or 0
        assert top * {"month": 1, "day": 26, "hour": 208}[vacancy.salary_unit.value] >= 8000


async def test_city_filter_offers_the_cities_of_the_hits(searching: System) -> None:
    page = await say(searching, SEEKER, "电焊工")
    [menu] = [d for d in callback_data(page, "sm:") if d.endswith(":c")]
    await press(searching, SEEKER, page, menu)
    cities = [d for d in callback_data(now(searching, page), "ss:") if not d.endswith(":")]
    assert cities
    city = cities[0].rsplit(":", 1)[1]
    await press(searching, SEEKER, page, cities[0])
    filtered = now(searching, page)
    ids = applied_ids(filtered)
    assert ids and all(VACANCIES[i].city == city for i in ids)
    assert f"城市：{city}" in str(filtered.reply_markup)


async def test_the_more_link_of_a_group_answer_opens_the_search_in_private(
    searching: System,
) -> None:
    searching.sim.add_chat(GROUP, title="求职交流群")
    searching.sim.user_message(GROUP, SEEKER, "/jobs 电焊工")
    await searching.settle()
    [answer] = searching.sim.messages_in(GROUP)
    [more] = [p for p in start_payloads(answer) if p.startswith("search_")]

    page = await say(searching, SEEKER, f"/start {more}")
    assert numbers(page) == [1, 2, 3, 4, 5]
    assert applied_ids(page)[:3] == applied_ids(answer)


@pytest.mark.parametrize(
    ("payload", "reply"),
    [
        ("search_short", "链接不完整"),
        ("search_" + "A" * 16, "已过期"),
        ("search_!!", "链接不完整"),
    ],
)
async def test_bad_or_expired_links_get_a_clear_answer(
    searching: System, payload: str, reply: str
) -> None:
    answer = await say(searching, SEEKER, f"/start {payload}")
    assert reply in (answer.plain_text or "")


async def test_stale_and_forged_buttons_are_answered_kindly(searching: System) -> None:
    page = await say(searching, SEEKER, "电焊工")
    gone = SearchPage(t=SavedSearch(text="木工").token, u=SEEKER, p=1).pack()
    for data in (gone, "sp:not-a-token:1:1", f"ss:{'A' * 16}:{SEEKER}:p:777"):
        await press(searching, SEEKER, page, data)
    texts = [a.text or "" for a in searching.sim.callback_answers]
    assert len(texts) == 3 and all(a.show_alert for a in searching.sim.callback_answers)
    assert "已过期" in texts[0] and "失效" in texts[1]


async def test_apply_links_still_reach_the_resume_conversation(searching: System) -> None:
    page = await say(searching, SEEKER, "电焊工")
    vacancy_id = applied_ids(page)[0]
    answer = await say(searching, SEEKER, f"/start apply_{vacancy_id}")
    assert VACANCIES[vacancy_id].title in (answer.plain_text or "")
    assert "个人信息" in (answer.plain_text or "")  # the résumé consent, not a search


@pytest.mark.parametrize("form", ["traditional", "pinyin", "typo"])
async def test_traditional_pinyin_and_typo_queries_find_their_vacancies(
    searching: System, form: str
) -> None:
    queries = [q for q in sample_queries() if q["form"] == form][:6]
    for n, query in enumerate(queries):
        page = await say(searching, SEEKER + 10 + n, query["text"])
        assert set(applied_ids(page)[:3]) & set(query["relevant_ids"]), query["text"]
