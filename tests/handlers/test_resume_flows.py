"""Restarts, screening, returning applicants and the group entry point."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from redis.asyncio import Redis

from devkit.telegram import TelegramSimulator
from jobfeed.applications.models import ApplicationStatus
from jobfeed.keys import Keys
from jobfeed.models import ScreeningQuestion
from tests.conftest import redis_url
from tests.handlers.resume_chat import RECRUITER_ID, VACANCY_ID, Chat, vacancy
from tests.harness import ADMIN_ID, System, running_system

SEEKER = 610301
GROUP = -100500300


async def test_a_conversation_survives_a_restart(keys: Keys, redis: Redis) -> None:
    async with running_system(keys, redis_url()) as first:
        await first.services.vacancies.save(vacancy())
        chat = Chat(first, SEEKER)
        await chat.say(f"/start apply_{VACANCY_ID}")
        await chat.press("同意")
        await chat.say("王五")
        await chat.say("13912345678")
        assert "第 3 步" in chat.last_text
        last_update_id = first.sim.updates.history[-1]["update_id"]
    # A new process (and a new Telegram connection) on the same Redis keys.
    async with running_system(keys, redis_url()) as second:
        continue_update_ids(second.sim, after=last_update_id)
        second.sim.add_user(RECRUITER_ID)
        chat = Chat(second, SEEKER)
        assert "第 4 步" in await chat.say("28")
        for answer in ("天津", "电焊工", "天津", "无", "无经验", "面议", "一周内"):
            await chat.say(answer)
        summary = await chat.say("跳过")
        assert "王五" in summary and "13912345678" in summary and "28 岁" in summary
        assert "报名成功" in await chat.press("确认提交")
        assert "王五" in (second.sim.messages_in(RECRUITER_ID)[0].plain_text or "")


def continue_update_ids(sim: TelegramSimulator, after: int) -> None:
    """Telegram's update ids keep growing across a bot restart; a fresh simulator starts
    from its base again. An update of a kind the bot does not poll for moves it on."""
    sim.inject_update({"update_id": after + 1, "message_reaction_count": {}})


async def test_screening_questions(system: System) -> None:
    question = ScreeningQuestion(text="有电工证吗？", accepted=["是"])
    shift = ScreeningQuestion(text="能接受倒班吗？", choices=["能", "不能"], accepted=["能"])
    await system.services.vacancies.save(vacancy(screening=[question, shift]))
    system.sim.add_user(RECRUITER_ID)

    qualified = Chat(system, SEEKER)
    await qualified.say(f"/start apply_{VACANCY_ID}")
    await qualified.press("同意")
    await qualified.fill_resume()
    assert "有电工证吗？" in await qualified.press("确认提交")
    assert qualified.reply_keyboard() == ["是", "否"]
    assert "请点下方的选项" in await qualified.sticker()
    assert "请点下方的选项" in await qualified.say("也许")
    assert "能接受倒班吗？" in await qualified.say("是")
    assert "报名成功" in await qualified.say("能")
    card = system.sim.messages_in(RECRUITER_ID)[0].plain_text or ""
    assert "有电工证吗？ 是" in card and "能接受倒班吗？ 能" in card

    unqualified = Chat(system, SEEKER + 1)
    await unqualified.say(f"/start apply_{VACANCY_ID}")
    await unqualified.press("同意")
    await unqualified.fill_resume(phone="13912345678")
    await unqualified.press("确认提交")
    told = await unqualified.say("否")
    assert "很遗憾" in told and "能接受倒班吗" not in told  # told kindly, asked no further
    assert len(system.sim.messages_in(RECRUITER_ID)) == 2  # only the qualified card + file
    [filed] = await system.services.applications.for_applicant(SEEKER + 1)
    assert filed.status is ApplicationStatus.screened_out and not filed.qualified
    assert [(a.question, a.answer, a.qualified) for a in filed.screening] == [
        ("有电工证吗？", "否", False)
    ]


async def test_a_returning_applicant_applies_with_one_tap(system: System) -> None:
    await system.services.vacancies.save(vacancy())
    await system.services.vacancies.save(vacancy("crane-bt-2", recruiter_id=None, title="天车工"))
    system.sim.add_user(RECRUITER_ID)
    system.sim.add_user(ADMIN_ID)
    chat = Chat(system, SEEKER)
    await chat.say(f"/start apply_{VACANCY_ID}")
    await chat.press("同意")
    await chat.fill_resume()
    await chat.press("确认提交")

    offer = await chat.say("/start apply_crane-bt-2")
    assert "天车工" in offer and "张三" in offer and "华北铝业" in offer
    done = await chat.press("一键报名")
    assert "报名成功" in done and "天车工" in done
    # No recruiter on that vacancy: the admins get the card.
    admin_card = system.sim.messages_in(ADMIN_ID)[0].plain_text or ""
    assert "天车工" in admin_card and "张三" in admin_card
    assert "已经报名过" in await chat.say(f"/start apply_{VACANCY_ID}")

    # Updating the résumé on the way to a third vacancy.
    await system.services.vacancies.save(vacancy("pack-3", title="包装工"))
    await chat.say("/start apply_pack-3")
    assert "请核对" in await chat.press("修改简历")
    await chat.press("期望薪资")
    assert "9000元/月" in await chat.say("9000元/月")
    assert "报名成功" in await chat.press("确认提交")
    resume = await system.services.applications.get_resume(SEEKER)
    assert resume is not None and resume.expected_pay == "9000元/月"
    assert len(await system.services.applications.for_applicant(SEEKER)) == 3


async def test_resume_without_a_vacancy(system: System) -> None:
    chat = Chat(system, SEEKER)
    consent = await chat.say("/resume")
    assert "你之后选择报名的岗位的招聘方" in consent
    await chat.press("同意")
    await chat.fill_resume(file=False)
    assert "简历已保存" in await chat.press("保存简历")
    assert await system.services.applications.get_resume(SEEKER) is not None
    assert await system.services.applications.for_applicant(SEEKER) == []
    shown = await chat.say("/myresume")
    assert "138****5678" in shown and "13812345678" not in shown


async def test_group_gets_only_a_button_to_the_private_chat(system: System) -> None:
    await system.services.vacancies.save(vacancy())
    system.sim.add_chat(GROUP, title="天津招聘群")
    link = f"https://t.me/zhaopin_test_bot?start=apply_{VACANCY_ID}"
    post = await system.bot.send_message(
        GROUP,
        "电焊工 7000-9000元/月",
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="报名", url=link)]]
        ),
    )
    system.sim.add_user(SEEKER)
    system.sim.user_message(GROUP, SEEKER, "我要报名", reply_to_message_id=post.message_id)
    system.sim.user_message(GROUP, SEEKER, "老板我要报名")
    system.sim.user_message(GROUP, SEEKER, "/resume")
    await system.settle()
    replies = system.sim.messages_in(GROUP)[1:]
    assert len(replies) == 3
    urls = [(r.reply_markup or {})["inline_keyboard"][0][0]["url"] for r in replies]
    assert urls[0].endswith(f"start=apply_{VACANCY_ID}") and "电焊工" in (
        replies[0].plain_text or ""
    )
    assert urls[1].endswith("start=resume") and urls[2].endswith("start=resume")
    for reply in replies:
        assert "姓名" not in (reply.plain_text or "") and "手机" not in (reply.plain_text or "")
    assert system.sim.messages_in(SEEKER) == []  # nothing was started on their behalf


async def test_flood_control_delays_a_question_but_never_loses_it(system: System) -> None:
    await system.services.vacancies.save(vacancy())
    chat = Chat(system, SEEKER)
    await chat.say(f"/start apply_{VACANCY_ID}")
    await chat.press("同意")
    system.sim.faults.retry_after_storm(1, retry_after=1)
    assert "第 2 步" in await chat.say("张三")
    assert system.sim.count_429 == 1
    assert "第 3 步" in await chat.say("13812345678")


async def test_a_button_of_an_earlier_vacancy_does_not_apply_to_the_current_one(
    system: System,
) -> None:
    """Consent names one employer: A's old buttons must not send the résumé to B."""
    await system.services.vacancies.save(vacancy())
    await system.services.vacancies.save(vacancy("a-1", title="叉车工", employer="甲公司"))
    await system.services.vacancies.save(vacancy("b-2", title="天车工", employer="乙公司"))
    system.sim.add_user(RECRUITER_ID)
    chat = Chat(system, SEEKER)
    await chat.say(f"/start apply_{VACANCY_ID}")
    await chat.press("同意")
    await chat.fill_resume()
    await chat.press("确认提交")

    assert "甲公司" in await chat.say("/start apply_a-1")
    offer_a = chat.last
    assert "乙公司" in await chat.say("/start apply_b-2")
    await chat.press("一键报名", offer_a)
    assert system.sim.callback_answers[-1].text == "这个按钮已失效"
    assert len(await system.services.applications.for_applicant(SEEKER)) == 1
    assert "报名成功" in await chat.press("一键报名") and "天车工" in chat.last_text
    filed = await system.services.applications.for_applicant(SEEKER)
    assert sorted(a.vacancy_id for a in filed) == ["b-2", VACANCY_ID]

    # The same for a newcomer's consent, and for the summary's confirm button.
    newcomer = Chat(system, SEEKER + 1)
    await newcomer.say("/start apply_a-1")
    consent_a = newcomer.last
    await newcomer.say("/start apply_b-2")
    await newcomer.press("同意", consent_a)
    assert system.sim.callback_answers[-1].text == "这个按钮已失效"
    await newcomer.press("同意")
    await newcomer.fill_resume()
    summary_b = newcomer.last
    await newcomer.say("/start apply_a-1")
    await newcomer.press("确认提交", summary_b)
    assert system.sim.callback_answers[-1].text == "这个按钮已失效"
    assert await system.services.applications.for_applicant(SEEKER + 1) == []
