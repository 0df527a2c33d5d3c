"""``/alerts`` edits through the running system: changing a wish, pausing and restarting
one availability's alerts, and an availability made from the résumé after consent."""

from __future__ import annotations

from datetime import date, timedelta

from bot.appkeys import AVAILABILITIES
from devkit.demo.seeker import button_data
from jobfeed.matching.models import resume_text, start_date
from jobfeed.models import utcnow
from tests.applications.factories import resume
from tests.handlers.resume_chat import Chat
from tests.handlers.search_chat import load
from tests.handlers.test_alerts import alerts, feed, row, sent_out
from tests.harness import System

SEEKER = 68001


def test_a_resumes_wish_as_a_query() -> None:
    assert resume_text("电焊工", "天津", "8000元/月") == "电焊工 天津 8000以上"
    assert resume_text("普工", "不限", "7000-9000") == "普工 7000以上"
    assert resume_text("保安", "包头", "面议") == "保安 包头"


async def test_edit_pause_and_resume_one_availability(system: System) -> None:
    await load(system, [])
    chat = Chat(system, SEEKER)
    await chat.say("/subscribe 保安 包头")
    await chat.press("同意并开启")
    repo = system.app[AVAILABILITIES]
    [before] = await repo.of_person(SEEKER)

    edited = await chat.say("/alerts 1 电焊工 通辽 9000")
    assert "已修改" in edited and "电焊工" in edited and "9000以上" in edited
    [after] = await repo.of_person(SEEKER)
    assert after.id == before.id and after.consent == before.consent
    assert after.trades == ("电焊工",) and after.places[0].name == "通辽"
    assert after.min_pay == 9000
    assert "序号" in await chat.say("/alerts 7 电焊工")  # no 7th

    await chat.say("/alerts")
    assert "🔕 暂停 1" in str(chat.last.reply_markup)
    await chat.press("暂停 1")
    assert "已停止" in chat.last_text and "恢复 1" in str(chat.last.reply_markup)
    await feed(system, row("tl-weld-9", "电焊工", "通辽", "内蒙古", pay=9500))
    await sent_out(system)
    assert alerts(system, SEEKER) == []  # paused
    await chat.press("恢复 1")
    await feed(system, row("tl-weld-10", "电焊工", "通辽", "内蒙古", pay=9500))
    await sent_out(system)
    assert len(alerts(system, SEEKER)) == 1
    # Someone else's press with the same data changes nothing.
    listing = next(m for m in reversed(chat.messages) if "我的求职意向" in (m.plain_text or ""))
    pause = button_data(listing, "暂停 1")
    Chat(system, SEEKER + 1)
    system.sim.callback(SEEKER + 1, listing.chat_id, listing.message_id, pause)
    await system.settle()
    [mine] = await repo.of_person(SEEKER)
    assert mine.alerts


async def test_an_availability_from_the_resume_after_consent(system: System) -> None:
    await load(system, [])
    await system.services.applications.save_resume(resume(SEEKER))  # 电焊工 天津 8000元/月
    chat = Chat(system, SEEKER)
    await chat.say("/alerts")
    offer = await chat.press("用我的简历生成")
    assert "保存期限" in offer and "电焊工" in offer and "天津" in offer and "8000以上" in offer
    repo = system.app[AVAILABILITIES]
    assert await repo.of_person(SEEKER) == []  # nothing before consent
    await chat.press("同意并开启")
    [kept] = await repo.of_person(SEEKER)
    assert kept.trades == ("电焊工",) and kept.min_pay == 8000
    assert [p.name for p in kept.places] == ["天津"]


async def test_several_trades_and_places_in_one_wish(system: System) -> None:
    await load(system, [])
    chat = Chat(system, SEEKER)
    await chat.say("/subscribe 电焊工 氩弧焊工 通辽 赤峰 8000")
    await chat.press("同意并开启")
    [kept] = await system.app[AVAILABILITIES].of_person(SEEKER)
    assert kept.trades == ("电焊工", "氩弧焊工")
    assert [p.name for p in kept.places] == ["通辽", "赤峰"]
    await feed(system, row("cf-weld", "电焊工", "赤峰", "内蒙古", pay=9000))
    await sent_out(system)
    assert len(alerts(system, SEEKER)) == 1


def test_the_day_a_wish_says_the_person_can_start() -> None:
    today = date(2026, 12, 3)  # the reading does not depend on the day it runs
    assert start_date("电焊工 通辽 3月1日起", today) == (date(2027, 3, 1), "电焊工 通辽")
    assert start_date("电焊工 2027-03-01以后 通辽", today) == (date(2027, 3, 1), "电焊工 通辽")
    assert start_date("5月份开始 普工", today) == (date(2027, 5, 1), "普工")
    assert start_date("下个月 电工", today) == (date(2027, 1, 1), "电工")
    assert start_date("下周可以上班 保安", today) == (date(2026, 12, 10), "保安")
    assert start_date("电焊工 12月5日到岗", today) == (date(2026, 12, 5), "电焊工")
    assert start_date("电焊工 2月30日起", today) == (None, "电焊工 2月30日起")  # no such day
    assert start_date("电焊工 通辽 8000以上", today) == (None, "电焊工 通辽 8000以上")


async def test_a_wish_that_starts_later_gets_no_alert_before_then(system: System) -> None:
    await load(system, [])
    chat = Chat(system, SEEKER)
    await chat.say("/subscribe 保安 包头")
    await chat.press("同意并开启")
    later = utcnow().date() + timedelta(days=400)  # far past any day boundary

    edited = await chat.say(f"/alerts 1 电焊工 通辽 {later.isoformat()}起")
    assert "已修改" in edited and later.isoformat() in edited
    [wish] = await system.app[AVAILABILITIES].of_person(SEEKER)
    assert wish.available_from == later and wish.trades == ("电焊工",)
    await feed(system, row("tl-weld-later", "电焊工", "通辽", "内蒙古", pay=9500))
    await sent_out(system)
    assert alerts(system, SEEKER) == []  # not before the day they can start
