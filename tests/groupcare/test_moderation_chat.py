"""Scam and spam removal through the real Dispatcher and the simulator."""

from __future__ import annotations

import pytest

from bot.appkeys import MODERATION
from devkit.telegram import SentMessage
from tests.harness import ADMIN_ID, System

ADMIN_GROUP = -1001600000001  # the bot is an administrator here
PLAIN_GROUP = -1001600000002  # the bot is a member only
SCAMMER = 5101
SEEKER = 5102
GROUP_ADMIN = 5103
FEE = "先交500押金才能安排进厂，微信转我"


@pytest.fixture(autouse=True)
def admin_started_the_bot(system: System) -> None:
    system.sim.add_user(ADMIN_ID, "管理员")


def reports(system: System) -> list[SentMessage]:
    return [m for m in system.sim.messages_in(ADMIN_ID) if "#" in (m.plain_text or "")]


def button_data(message: SentMessage) -> str:
    assert message.reply_markup is not None
    return str(message.reply_markup["inline_keyboard"][0][0]["callback_data"])


async def say(system: System, chat_id: int, user_id: int, text: str) -> int:
    update = system.sim.user_message(chat_id, user_id, text)
    await system.settle()
    return int(update["message"]["message_id"])


async def test_a_fee_request_is_deleted_then_its_sender_muted_and_an_admin_restores(
    system: System,
) -> None:
    sim = system.sim
    sim.add_chat(ADMIN_GROUP, title="招聘一群", bot_is_admin=True)
    sim.add_user(SCAMMER, "骗子甲")

    first = await say(system, ADMIN_GROUP, SCAMMER, FEE)
    assert sim.is_deleted(ADMIN_GROUP, first)
    [warning] = sim.messages_in(ADMIN_GROUP)
    assert "骗子甲" in (warning.plain_text or "") and "删除" in (warning.plain_text or "")
    assert sim.status_of(ADMIN_GROUP, SCAMMER) == "member"  # warned once, not yet muted

    second = await say(system, ADMIN_GROUP, SCAMMER, "报名费200元，微信转我")
    assert sim.is_deleted(ADMIN_GROUP, second)
    assert sim.status_of(ADMIN_GROUP, SCAMMER) == "restricted"
    [mute] = [r for r in sim.restricts if r.method == "restrictChatMember"]
    assert mute.permissions is not None and not mute.permissions["can_send_messages"]
    assert mute.until_date > 0

    first_report, second_report = reports(system)
    first_text = first_report.plain_text or ""
    assert "已删除" in first_text and "押金" in first_text
    assert "已禁言" in (second_report.plain_text or "")

    restore = button_data(second_report)
    sim.callback(ADMIN_ID, ADMIN_ID, second_report.message_id, restore)
    await system.settle()
    assert sim.status_of(ADMIN_GROUP, SCAMMER) == "member"  # the mute lifted
    restored = sim.messages_in(ADMIN_GROUP)[-1]
    assert "恢复" in (restored.plain_text or "") and "报名费200元" in (restored.plain_text or "")
    assert "已由" in (sim.messages[(ADMIN_ID, second_report.message_id)].plain_text or "")

    # The restore taught the checker: the same wording stays from now on.
    again = await say(system, ADMIN_GROUP, SCAMMER, "报名费200元，微信转我")
    assert not sim.is_deleted(ADMIN_GROUP, again)
    # A replayed press restores nothing twice.
    sim.callback(ADMIN_ID, ADMIN_ID, second_report.message_id, restore)
    await system.settle()
    assert len([m for m in sim.messages_in(ADMIN_GROUP) if "恢复了" in (m.plain_text or "")]) == 1

    _, entries = await system.app[MODERATION].recent()
    assert [e.action for e in entries][:1] == ["restored"]


async def test_where_the_bot_is_no_admin_the_message_stays_and_is_reported(
    system: System,
) -> None:
    sim = system.sim
    sim.add_chat(PLAIN_GROUP, title="求职交流群")
    message = await say(system, PLAIN_GROUP, SCAMMER, FEE)
    assert not sim.is_deleted(PLAIN_GROUP, message)
    assert sim.messages_in(PLAIN_GROUP) == []  # no warning where it cannot act
    [report] = reports(system)
    assert "未删除" in (report.plain_text or "")
    assert "误报" in str(report.reply_markup)


async def test_admins_chatter_and_questions_about_fees_are_left_alone(system: System) -> None:
    sim = system.sim
    sim.add_chat(ADMIN_GROUP, title="招聘一群", bot_is_admin=True)
    sim.set_member(ADMIN_GROUP, GROUP_ADMIN, "administrator")
    by_admin = await say(system, ADMIN_GROUP, GROUP_ADMIN, FEE)
    asked = await say(system, ADMIN_GROUP, SEEKER, "包吃住吗 押金退吗?")
    warned = await say(system, ADMIN_GROUP, SEEKER, "谨防收押金的骗子，本群不收任何费用")
    for message in (by_admin, asked, warned):
        assert not sim.is_deleted(ADMIN_GROUP, message)
    assert reports(system) == []
    assert sim.restricts == []


async def test_a_qr_code_picture_a_contact_card_and_mass_mentions_are_removed(
    system: System,
) -> None:
    sim = system.sim
    sim.add_chat(ADMIN_GROUP, title="招聘一群", bot_is_admin=True)
    photo = sim.user_photo(SCAMMER, chat_id=ADMIN_GROUP, caption="扫码进群，高薪日结")
    card = sim.user_contact_in(ADMIN_GROUP, SEEKER + 10, "13800138000")
    names = " ".join(f"@user{n}abc" for n in range(6))
    mentions = sim.user_message(ADMIN_GROUP, SEEKER + 11, f"{names} 看过来")
    holiday = sim.user_photo(SEEKER, chat_id=ADMIN_GROUP, caption="宿舍照片，大家看看")
    await system.settle()
    for update in (photo, card, mentions):
        assert sim.is_deleted(ADMIN_GROUP, update["message"]["message_id"])
    assert not sim.is_deleted(ADMIN_GROUP, holiday["message"]["message_id"])
    assert len(reports(system)) == 3


async def test_a_message_edited_into_a_scam_is_removed(system: System) -> None:
    sim = system.sim
    sim.add_chat(ADMIN_GROUP, title="招聘一群", bot_is_admin=True)
    posted = await say(system, ADMIN_GROUP, SCAMMER, "大家好，我是新来的")
    assert not sim.is_deleted(ADMIN_GROUP, posted)
    sim.user_edit(ADMIN_GROUP, posted, "大家好，加V：zp88888 详聊日结")
    await system.settle()
    assert sim.is_deleted(ADMIN_GROUP, posted)
    [report] = reports(system)
    assert "规则 contact" in (report.plain_text or "")
