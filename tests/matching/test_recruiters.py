"""Recruiters see who fits their vacancy and invite them, through the running system (the
real Dispatcher, the Bot API simulator, Redis): ``/candidates``, 邀请, an invitation accepted
(the seeker applies) and one declined, the API's candidates and the figures."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from bot.appkeys import MATCHMAKING
from devkit.demo.seeker import apply_as_seeker, button_data
from jobfeed.models import Vacancy, utcnow
from tests.applications.factories import resume
from tests.handlers.resume_chat import Chat
from tests.handlers.test_alerts import sent_out
from tests.harness import ADMIN_ID, System

RECRUITER = 64001
OTHER_RECRUITER = 64002
WELDER, WELDER2, COOK, PICKY = 64101, 64102, 64103, 64104


def weld(vacancy_id: str = "tl-weld", *, days_ago: int = 20, **changes: Any) -> Vacancy:
    fields: dict[str, Any] = {
        "id": vacancy_id,
        "title": "电焊工",
        "employer": "草原铝业",
        "city": "通辽",
        "province": "内蒙古",
        "salary_min": 7000,
        "salary_max": 9000,
        "recruiter_id": RECRUITER,
        "requirements": "能吃苦耐劳",
        "description": "负责电焊工作",
        "posted_at": utcnow() - timedelta(days=days_ago),
    }
    return Vacancy(**(fields | changes))


async def keep(system: System, user: int, wish: str) -> Chat:
    """The seeker keeps an availability through the chat (/subscribe, then consent)."""
    chat = Chat(system, user)
    assert "保存期限" in await chat.say(f"/subscribe {wish}")
    assert "已开启提醒" in await chat.press("同意并开启")
    return chat


async def recruiter(system: System, user: int, employer: str) -> Chat:
    recruiters = system.services.recruiters
    await recruiters.apply(user, "王经理", employer)
    await recruiters.decide(user, approve=True, actor="telegram:1")
    return Chat(system, user)


async def seekers(system: System, *, with_resume: bool = True) -> None:
    await keep(system, WELDER, "电焊工 通辽 8000以上")
    await keep(system, WELDER2, "焊工 内蒙古")
    await keep(system, COOK, "厨师 天津")
    await keep(system, PICKY, "电焊工 通辽 12000以上")
    if with_resume:
        await system.services.applications.save_resume(resume(WELDER, phone="13812345678"))


def invitations_in(system: System, user: int) -> list[Any]:
    return [m for m in system.sim.messages_in(user) if "招聘方邀请你报名" in (m.plain_text or "")]


async def test_candidates_best_first_with_why_and_phones_masked(system: System) -> None:
    await seekers(system)
    await system.services.vacancies.save(weld())
    boss = await recruiter(system, RECRUITER, "草原铝业")
    text = await boss.say("/candidates tl-weld")
    assert "2 位求职者符合" in text
    first, second = text.index("1. "), text.index("2. ")
    assert "通辽（本地）" in text[first:second] and "要求8000以上，本岗9000" in text[first:second]
    assert "内蒙古（本省）" in text[second:]
    assert "138****5678" in text and "13812345678" not in text
    assert "厨师" not in text and "12000" not in text  # not a welder; pay not met

    status, body = await system.api("GET", "/api/vacancies/tl-weld/candidates")
    assert status == 200 and body["total"] == 2
    assert [c["person"] for c in body["candidates"]] == [WELDER, WELDER2]
    assert body["candidates"][0]["why"]["near"] == "city"
    assert body["candidates"][0]["phone_masked"] == "138****5678"
    assert "13812345678" not in json.dumps(body)
    assert (await system.api("GET", "/api/vacancies/nope/candidates"))[0] == 404
    log = await system.app[MATCHMAKING].access.recent()
    assert {e["person"] for e in log} >= {str(WELDER), str(WELDER2)}

    other = await recruiter(system, OTHER_RECRUITER, "别的公司")
    assert "不是您发布的" in await other.say("/candidates tl-weld")
    stranger = Chat(system, 64999)
    assert "认证招聘方" in await stranger.say("/candidates tl-weld")


async def test_an_invitation_accepted_and_one_declined(system: System) -> None:
    await seekers(system, with_resume=False)  # the one who accepts fills it in applying
    await system.services.vacancies.save(weld())
    await sent_out(system)  # its alerts to the two who fit it
    boss = await recruiter(system, RECRUITER, "草原铝业")
    await boss.say("/candidates tl-weld")
    listing = boss.last
    await boss.press("邀请 1", listing)
    await boss.press("邀请 2", listing)
    await boss.press("邀请 1", listing)  # again: nobody is invited twice
    [to_welder] = invitations_in(system, WELDER)
    [to_welder2] = invitations_in(system, WELDER2)
    assert "电焊工" in (to_welder.plain_text or "") and "草原铝业" in (to_welder.plain_text or "")
    markup = json.dumps(to_welder.reply_markup)
    assert "apply_tl-weld" in markup

    # One declines: told, the recruiter told, the button gone.
    seeker2 = Chat(system, WELDER2)
    no_thanks = button_data(to_welder2, "不感兴趣")
    assert "不感兴趣" in await seeker2.press("不感兴趣", to_welder2)
    assert not (to_welder2.reply_markup or {}).get("inline_keyboard")
    assert any("婉拒" in (m.plain_text or "") for m in system.sim.messages_in(RECRUITER))
    # The other accepts: applies through the apply button's link.
    done = await apply_as_seeker(system.sim, "tl-weld", WELDER)
    assert "报名成功" in (done.plain_text or "") or "编号" in (done.plain_text or "")

    text = await boss.say("/candidates tl-weld")
    assert "已报名" in text and "已婉拒" in text
    status, body = await system.api("GET", "/api/stats/matching?days=1")
    assert status == 200
    [today] = body["days"]
    assert (today["invitations"], today["accepted"], today["declined"]) == (2, 1, 1)
    assert today["pending"] == 0
    assert today["alerts_sent"] == 2  # the vacancy saved above alerted the two who fit it
    assert today["applications_from_alerts"] == 1  # WELDER was alerted, then applied
    # tl-weld has an application now; WELDER's is unanswered, COOK and PICKY fit nothing.
    assert today["unfilled"] == 0 and today["unmatched"] == 3
    overall = (await system.api("GET", "/api/stats"))[1]
    assert overall["matching"][-1] == today
    admin = await Chat(system, ADMIN_ID).say("/stats")
    assert "邀请 2 / 2：接受 1 · 婉拒 1" in admin and "有人没活干 3 位求职者" in admin

    # A declined seeker pressing again changes nothing; a stranger's press declines nothing.
    system.sim.callback(WELDER2, to_welder2.chat_id, to_welder2.message_id, no_thanks)
    await system.settle()
    told = [
        m for m in system.sim.messages_in(RECRUITER) if "一位求职者婉拒" in (m.plain_text or "")
    ]
    assert len(told) == 1
    Chat(system, 64998)
    theirs = button_data(to_welder, "不感兴趣")
    system.sim.callback(64998, to_welder.chat_id, to_welder.message_id, theirs)
    await system.settle()
    body = (await system.api("GET", "/api/stats/matching?days=1"))[1]
    assert body["days"][0]["declined"] == 1
