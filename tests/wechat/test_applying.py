"""Applying through the Official Account, one passive reply per step, and hearing about it
afterwards: inside WeChat's 48 hours through the customer-service API, else with the reply
to the applicant's next message."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from devkit.demo.seeker import button_data
from devkit.wechat import Follower
from jobfeed.models import ScreeningQuestion
from tests.handlers.resume_chat import RECRUITER_ID, VACANCY_ID, vacancy
from tests.wechat.conftest import APPID, SECRET, OaSystem

ANSWERS = ("张三", "13812345678", "35", "天津", "电焊工", "天津", "焊工证", "3年", "8000元/月")


async def _says(follower: Follower, text: str) -> str:
    reply = await follower.say(text)
    assert reply.status == 200 and reply.text is not None, reply.body
    return reply.text


async def _apply(oa: OaSystem, follower: Follower) -> int:
    """The whole application; its number."""
    assert "个人信息使用说明" in await _says(follower, f"报名 {VACANCY_ID}")
    assert "第 1 步" in await _says(follower, "同意")
    for answer in ANSWERS:
        await _says(follower, answer)
    assert "最后一步" in await _says(follower, "随时可以")
    review = await _says(follower, "跳过")
    assert "请核对你的简历" in review and "13812345678" in review
    question = await _says(follower, "提交")
    assert "有焊工证吗" in question and "1. 是" in question
    done = await _says(follower, "1")
    assert "报名成功" in done
    # The follower's number (from their OpenID) is the applicant the application names.
    person = _person(oa, follower.openid)
    [application] = await oa.system.services.applications.for_applicant(person)
    assert str(application.number) in done
    return application.number


def _person(oa: OaSystem, openid: str) -> int:
    from bot.wechat.oa.routes import OA  # noqa: PLC0415

    return oa.system.app[OA].desk.followers.person(openid)


async def _ready(oa: OaSystem) -> None:
    question = ScreeningQuestion(text="有焊工证吗？", accepted=["是"])
    await oa.system.services.vacancies.save(vacancy(screening=[question]))
    oa.system.sim.add_user(RECRUITER_ID, "招聘经理")


async def test_a_whole_application_reaches_the_recruiter_as_from_telegram(oa: OaSystem) -> None:
    await _ready(oa)
    follower = oa.follower()
    number = await _apply(oa, follower)
    application = await oa.system.services.applications.get(number)
    assert application is not None and application.source == "wechat-oa"
    assert application.resume is not None and application.resume.phone == "13812345678"
    # The recruiter's card came through the Telegram notifier, as for a chat application.
    await oa.system.settle()
    [card] = oa.system.sim.messages_in(RECRUITER_ID)
    assert "张三" in (card.plain_text or "") and str(number) in (card.plain_text or "")
    assert "来自微信公众号" in (card.plain_text or "")
    assert await oa.system.services.applications.is_delivered(number)
    mine = await _says(follower, "我的报名")
    assert str(number) in mine and "等待招聘方查看" in mine
    # The same vacancy again: already applied, nothing filed twice.
    assert "已经报过" in await _says(follower, f"报名 {VACANCY_ID}")


async def test_a_job_page_link_starts_applying_and_cancel_ends_it(oa: OaSystem) -> None:
    await _ready(oa)
    follower = oa.follower()
    link = f"{oa.system.base_url}/jobs/{VACANCY_ID}"
    assert "你正在报名：电焊工" in await _says(follower, f"我想报这个 {link}")
    assert "第 1 步" in await _says(follower, "同意")
    refused = await _says(follower, "")  # an empty name is refused with the reason
    assert "⚠️" in refused and "第 1 步" in refused
    mine = await _says(follower, "我的报名")  # works mid-way, and the step is asked again
    assert "还没有报名" in mine and "第 1 步" in mine
    assert "第 2 步" in await _says(follower, "张三")
    assert "已取消" in await _says(follower, "取消")
    assert "电焊工" in await _says(follower, "天津 电焊工")  # a search again


async def test_a_status_change_reaches_the_applicant_within_48_hours(oa: OaSystem) -> None:
    await _ready(oa)
    follower = oa.follower()
    number = await _apply(oa, follower)
    status, body = await oa.system.api(
        "PATCH", f"/api/applications/{number}", json={"status": "interview"}
    )
    assert status == 200 and body["notified"] is True
    [told] = oa.api.messages_to(follower.openid)
    assert "电焊工" in told and "邀请面试" in told


async def test_a_status_change_after_48_hours_waits_for_their_next_message(
    oa: OaSystem,
) -> None:
    await _ready(oa)
    follower = oa.follower()
    number = await _apply(oa, follower)
    oa.api.clock.advance(timedelta(hours=49))  # also expires the access token we hold
    status, body = await oa.system.api(
        "PATCH", f"/api/applications/{number}", json={"status": "hired"}
    )
    assert status == 200 and body["notified"] is False
    assert oa.api.messages_to(follower.openid) == []
    assert 45015 in oa.api.state.refused
    reply = await _says(follower, "天津 电焊工")
    assert reply.startswith("📢") and "已录用" in reply and "电焊工" in reply
    again = await _says(follower, "天津 电焊工")
    assert "已录用" not in again  # told once


async def test_one_access_token_serves_until_wechat_calls_it_stale(oa: OaSystem) -> None:
    await _ready(oa)
    follower = oa.follower()
    number = await _apply(oa, follower)
    for status in ("viewed", "interview"):
        await oa.system.api("PATCH", f"/api/applications/{number}", json={"status": status})
    assert len(oa.api.messages_to(follower.openid)) == 2
    assert oa.api.state.token_requests == 1  # fetched once, kept in Redis
    oa.api.expire_tokens()
    await oa.system.api("PATCH", f"/api/applications/{number}", json={"status": "hired"})
    assert len(oa.api.messages_to(follower.openid)) == 3  # 42001, a new token, sent
    assert oa.api.state.token_requests == 2


async def test_forgetting_removes_the_applicants_data(oa: OaSystem) -> None:
    await _ready(oa)
    follower = oa.follower()
    number = await _apply(oa, follower)
    assert "确认删除" in await _says(follower, "删除我的信息")
    assert "已删除" in await _says(follower, "确认删除")
    application = await oa.system.services.applications.get(number)
    assert application is not None and application.forgotten
    assert "还没有报名" in await _says(follower, "我的报名")


async def test_processes_share_one_token_fetch(oa: OaSystem) -> None:
    """Five processes wanting a token at once: one fetches (the lease), all get it."""
    from aiohttp import ClientSession  # noqa: PLC0415

    from bot.wechat.oa.tokens import AccessTokens  # noqa: PLC0415

    services = oa.system.services
    async with ClientSession() as http:
        processes = [
            AccessTokens(
                http,
                services.redis,
                services.keys,
                api_base=oa.api.base_url,
                appid=APPID,
                secret=SECRET,
            )
            for _ in range(5)
        ]
        tokens = await asyncio.gather(*(p.get() for p in processes))
    assert len(set(tokens)) == 1 and oa.api.state.token_requests == 1


async def test_the_recruiters_button_in_telegram_reaches_the_oa_applicant(oa: OaSystem) -> None:
    await _ready(oa)
    follower = oa.follower()
    await _apply(oa, follower)
    await oa.system.settle()
    [card] = oa.system.sim.messages_in(RECRUITER_ID)
    interview = button_data(card, "约面试")
    oa.system.sim.callback(RECRUITER_ID, RECRUITER_ID, card.message_id, interview)
    await oa.system.settle()
    [told] = await oa.sent_to(follower.openid)
    assert "邀请面试" in told


async def test_a_returning_applicant_reuses_their_resume_in_one_reply(oa: OaSystem) -> None:
    await _ready(oa)
    await oa.system.services.vacancies.save(vacancy("weld-tj-002", title="氩弧焊工"))
    follower = oa.follower()
    await _apply(oa, follower)
    offered = await _says(follower, "报名 weld-tj-002")
    assert "你已有一份简历" in offered and "张三" in offered
    again = await _says(follower, "我的报名")  # the list, then the same question again
    assert "电焊工" in again and "你已有一份简历" in again
    done = await _says(follower, "1")
    assert "报名成功" in done and "氩弧焊工" in done
    mine = await _says(follower, "我的报名")
    assert "氩弧焊工" in mine and "电焊工" in mine


async def test_a_screening_question_is_asked_again_after_a_status_look(oa: OaSystem) -> None:
    await _ready(oa)
    follower = oa.follower()
    await _says(follower, f"报名 {VACANCY_ID}")
    await _says(follower, "同意")
    for answer in (*ANSWERS, "随时可以", "跳过"):
        await _says(follower, answer)
    assert "有焊工证吗" in await _says(follower, "提交")
    assert "有焊工证吗" in await _says(follower, "我的报名")
    assert "请回复选项前的数字" in await _says(follower, "7")
    out = await _says(follower, "2")  # 否: does not qualify
    assert "没有提交" in out
