"""找活 in a group through the running system: the card (nothing personal, a button for the
poster and one for recruiters), consent in private before anything is kept, and a
recruiter inviting the poster to a vacancy of theirs that fits."""

from __future__ import annotations

import json

from bot.appkeys import APPROVALS, AVAILABILITIES
from devkit.demo.seeker import button_data
from devkit.telegram import SentMessage
from jobfeed.models import GroupFilter
from jobfeed.posting import VacancyDraft
from tests.handlers.resume_chat import Chat
from tests.harness import ADMIN_ID, System
from tests.matching.test_recruiters import recruiter

GROUP = -100777001
POSTER = 65001
BOSS = 65002


def card_in(system: System) -> SentMessage:
    [found] = [m for m in system.sim.messages_in(GROUP) if "找活" in (m.plain_text or "")]
    return found


async def post(system: System, text: str, user: int = POSTER) -> None:
    system.sim.add_user(user, "老王")
    system.sim.user_message(GROUP, user, text)
    await system.settle()


def welding_job() -> VacancyDraft:
    return VacancyDraft(
        title="电焊工",
        employer="草原铝业有限公司",
        city="通辽",
        province="内蒙古",
        salary_min=8000,
        salary_max=10000,
        headcount=3,
        requirements="持焊工证",
        description="负责钢结构焊接",
        contact_phone="13912345678",
        target=GroupFilter(),
    )


async def test_a_seeking_card_consent_then_a_recruiters_invitation(system: System) -> None:
    system.sim.add_chat(GROUP, title="通辽找工作群")
    await post(system, "找活 电焊工 通辽 8000")
    card = card_in(system)
    text = card.plain_text or ""
    assert "电焊工" in text and "通辽" in text and "8000以上" in text
    assert "老王" not in text and str(POSTER) not in text  # nothing personal in the group
    markup = json.dumps(card.reply_markup)
    assert "start=alert_" in markup and "zh:" in markup
    assert await system.app[AVAILABILITIES].of_person(POSTER) == []  # not before consent

    boss = await recruiter(system, BOSS, "草原铝业有限公司")
    await boss.say("/start")
    approvals = system.app[APPROVALS]
    vacancy, _ = await approvals.submit(welding_job(), BOSS)
    await approvals.approve(vacancy.id, f"telegram:{ADMIN_ID}")
    invite = button_data(card, "邀请TA报名")
    system.sim.callback(BOSS, GROUP, card.message_id, invite)
    await system.settle()
    assert not [m for m in boss.messages if "群里有人找活" in (m.plain_text or "")]

    # The poster opens the private chat from the card and agrees.
    url = next(b["url"] for row in card.reply_markup["inline_keyboard"] for b in row if "url" in b)
    poster = Chat(system, POSTER)
    assert "保存期限" in await poster.say("/start " + url.split("start=")[1])
    assert "已开启提醒" in await poster.press("同意并开启")
    [kept] = await system.app[AVAILABILITIES].of_person(POSTER)
    assert kept.trades == ("电焊工",) and kept.min_pay == 8000

    system.sim.callback(BOSS, GROUP, card.message_id, invite)
    await system.settle()
    [offer] = [m for m in boss.messages if "群里有人找活" in (m.plain_text or "")]
    assert vacancy.id in (offer.plain_text or "")
    await boss.press("邀请 1", offer)
    invitations = [
        m for m in system.sim.messages_in(POSTER) if "招聘方邀请你报名" in (m.plain_text or "")
    ]
    assert len(invitations) == 1 and f"apply_{vacancy.id}" in json.dumps(
        invitations[0].reply_markup
    )
    # Nothing was ever written in the group but the card.
    assert len([m for m in system.sim.messages_in(GROUP) if m.method == "sendMessage"]) == 1

    # Someone who is no recruiter gets a notice, nothing else.
    system.sim.callback(65003, GROUP, card.message_id, invite)
    await system.settle()
    assert system.sim.messages_in(65003) == []


async def test_a_seeking_post_without_a_wish_gets_the_usage(system: System) -> None:
    system.sim.add_chat(GROUP, title="通辽找工作群")
    await post(system, "找活")
    assert "例如：找活 电焊工 通辽 8000" in (card_in(system).plain_text or "")
