"""Status changes, who may read an application (bot and API), and /forget."""

from __future__ import annotations

import json

from devkit.telegram import SentMessage
from jobfeed.applications.models import AccessAction, ApplicationStatus
from tests.handlers.resume_chat import RECRUITER_ID, VACANCY_ID, Chat, vacancy
from tests.harness import ADMIN_ID, System

SEEKER = 610401
STRANGER = 610499


async def _applied(system: System) -> tuple[Chat, int, SentMessage]:
    """A filed application: the seeker's chat, its number and the recruiter's card."""
    await system.services.vacancies.save(vacancy())
    system.sim.add_user(RECRUITER_ID, "招聘经理")
    chat = Chat(system, SEEKER)
    await chat.say(f"/start apply_{VACANCY_ID}")
    await chat.press("同意")
    await chat.fill_resume()
    await chat.press("确认提交")
    [application] = await system.services.applications.for_applicant(SEEKER)
    card = system.sim.messages_in(RECRUITER_ID)[0]
    return chat, application.number, card


def _data(card: SentMessage, label: str) -> str:
    return next(
        str(b["callback_data"])
        for row in (card.reply_markup or {})["inline_keyboard"]
        for b in row
        if label in b["text"]
    )


async def test_status_change_notifies_the_applicant_once(system: System) -> None:
    chat, number, card = await _applied(system)
    before = len(chat.messages)
    interview = _data(card, "约面试")
    system.sim.callback(RECRUITER_ID, RECRUITER_ID, card.message_id, interview)
    await system.settle()
    assert "邀请面试" in chat.last_text and str(number) in chat.last_text
    assert len(chat.messages) == before + 1
    application = await system.services.applications.get(number)
    assert application is not None and application.status is ApplicationStatus.interview
    # The card shows the status; pressing again (a replay) tells nobody anything new.
    assert "✅ 约面试" in json.dumps(system.sim.messages[(RECRUITER_ID, card.message_id)]
                                    .reply_markup, ensure_ascii=False)  # fmt: skip
    system.sim.callback(RECRUITER_ID, RECRUITER_ID, card.message_id, interview)
    await system.settle()
    assert len(chat.messages) == before + 1
    assert system.sim.callback_answers[-1].text == "状态没有变化"
    history = await system.services.applications.history(number)
    assert [(h.status, h.actor) for h in history] == [
        (ApplicationStatus.interview, f"telegram:{RECRUITER_ID}")
    ]
    # An admin may decide too.
    system.sim.add_user(ADMIN_ID)
    system.sim.callback(ADMIN_ID, RECRUITER_ID, card.message_id, _data(card, "已录用"))
    await system.settle()
    # The status, then the placement it became (jobfeed.placements).
    status, placed = (m.plain_text or "" for m in chat.messages[-2:])
    assert "已录用" in status and "入职登记" in placed


async def test_a_stranger_cannot_read_or_decide(system: System) -> None:
    chat, number, card = await _applied(system)
    stranger = Chat(system, STRANGER)
    before = len(chat.messages)
    # Forged presses: a button of the card, and hand-made data for another status.
    system.sim.callback(STRANGER, RECRUITER_ID, card.message_id, _data(card, "已录用"))
    await system.settle()
    assert system.sim.callback_answers[-1].text == "你没有权限查看或处理这个报名"
    system.sim.callback(STRANGER, RECRUITER_ID, card.message_id, f"ap:{number}:submitted")
    system.sim.callback(RECRUITER_ID, RECRUITER_ID, card.message_id, "ap:notanumber:hired")
    await system.settle()
    assert [a.text for a in system.sim.callback_answers[-2:]] == ["这个按钮无效或已过期"] * 2
    application = await system.services.applications.get(number)
    assert application is not None and application.status is ApplicationStatus.submitted
    assert len(chat.messages) == before

    # Reading through the bot: the same answer whether it exists or not.
    refused = await stranger.say(f"/application {number}")
    assert "没有找到" in refused and "138" not in refused
    assert await stranger.say("/application 99999") == refused
    assert "13812345678" in await Chat(system, RECRUITER_ID).say(f"/application {number}")
    log = await system.services.applications.access_log(number)
    assert [(r.actor, r.action) for r in log[:1]] == [
        (f"telegram:{RECRUITER_ID}", AccessAction.viewed)
    ]
    assert all(r.actor != f"telegram:{STRANGER}" for r in log)

    # Through the API: nothing without the admin token.
    for token in (None, "wrong-token"):
        status, body = await system.api("GET", f"/api/applications/{number}", token=token)
        assert status == 401 and "张三" not in json.dumps(body, ensure_ascii=False)
        status, _ = await system.api(
            "GET", f"/api/vacancies/{VACANCY_ID}/applications", token=token
        )
        assert status == 401


async def test_admin_api_lists_masked_and_changes_status(system: System) -> None:
    chat, number, _ = await _applied(system)
    status, body = await system.api("GET", f"/api/vacancies/{VACANCY_ID}/applications")
    assert status == 200 and body["total"] == 1
    [listed] = body["applications"]
    assert listed["applicant"]["phone_masked"] == "138****5678"
    assert "13812345678" not in json.dumps(body)

    status, body = await system.api(
        "PATCH", f"/api/applications/{number}", json={"status": "rejected"}
    )
    assert status == 200 and body["changed"] and body["notified"]
    assert "未通过" in chat.last_text
    status, body = await system.api(
        "PATCH", f"/api/applications/{number}", json={"status": "rejected"}
    )
    assert status == 200 and not body["changed"] and not body["notified"]
    status, body = await system.api(
        "PATCH", f"/api/applications/{number}", json={"status": "screened_out"}
    )
    assert status == 400
    status, body = await system.api("PATCH", f"/api/applications/{number}", json={"status": "x"})
    assert status == 400 and body["details"]
    assert (await system.api("GET", "/api/applications/abc"))[0] == 400
    assert (await system.api("GET", "/api/applications/424242"))[0] == 404
    assert (await system.api("GET", "/api/vacancies/bad%20id/applications"))[0] == 400

    status, detail = await system.api("GET", f"/api/applications/{number}")
    assert status == 200 and detail["history"][0]["actor"] == "api"
    status, log = await system.api("GET", f"/api/applications/{number}/access")
    actions = [(r["actor"], r["action"]) for r in log]
    assert ("api", "exported") in actions and ("api", "viewed") in actions
    assert (f"telegram:{RECRUITER_ID}", "delivered") in actions
    status, spec = await system.api("GET", "/openapi.json")
    assert "/api/applications/{number}" in spec["paths"]


async def test_forget_removes_everything(system: System) -> None:
    chat, number, card = await _applied(system)
    interview = _data(card, "约面试")
    redis, keys = system.services.redis, system.services.keys
    # A half-filled new conversation holds personal data too (the FSM draft).
    await system.services.vacancies.save(vacancy("second-1", title="叉车工"))
    await chat.say("/start apply_second-1")
    await chat.press("修改简历")

    assert "确定要删除" in await chat.say("/forget")
    assert "什么都没有删除" in await chat.press("不删除")
    assert await system.services.applications.get_resume(SEEKER) is not None
    await chat.say("/forget")
    assert "已删除你的全部个人信息" in await chat.press("确认删除")

    # Nothing under our prefix (FSM included) still holds the name or the phone.
    leftovers = []
    async for key in redis.scan_iter(match=keys.pattern):
        kind = await redis.type(key)
        if kind == "string":
            value = await redis.get(key) or ""
        elif kind == "hash":
            value = json.dumps(await redis.hgetall(key), ensure_ascii=False)
        else:
            continue
        if "13812345678" in value or "张三" in value:
            leftovers.append(key)
    assert leftovers == []
    assert await system.services.applications.get_resume(SEEKER) is None
    assert await system.services.applications.for_applicant(SEEKER) == []
    assert await system.services.applications.applied_to(SEEKER, VACANCY_ID) is None
    application = await system.services.applications.get(number)
    assert application is not None and application.forgotten and application.applicant_id is None
    assert "还没有保存简历" in await chat.say("/myresume")
    # The recruiter's card was scrubbed, its file message deleted.
    scrubbed = system.sim.messages[(RECRUITER_ID, card.message_id)]
    assert "删除" in (scrubbed.plain_text or "") and "13812345678" not in (
        scrubbed.plain_text or ""
    )
    assert system.sim.messages_in(RECRUITER_ID)[-1].message_id == card.message_id
    status, body = await system.api("GET", f"/api/applications/{number}")
    assert status == 200 and body["forgotten"] and body["applicant"] is None
    assert card.reply_markup is None  # no buttons left on the scrubbed card
    # A later status change (a replayed press) tells nobody.
    before = len(chat.messages)
    system.sim.callback(RECRUITER_ID, RECRUITER_ID, card.message_id, interview)
    await system.settle()
    assert len(chat.messages) == before
