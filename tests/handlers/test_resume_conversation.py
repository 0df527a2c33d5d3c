"""The résumé conversation through the real Dispatcher, the simulator and a real Redis."""

from __future__ import annotations

from devkit.demo.seeker import SAMPLE_PDF
from jobfeed.applications.models import ApplicationStatus
from tests.handlers.resume_chat import RECRUITER_ID, VACANCY_ID, Chat, vacancy
from tests.harness import System

SEEKER = 610101


async def test_deep_link_to_recruiter_card(system: System) -> None:
    await system.services.vacancies.save(vacancy())
    system.sim.add_user(RECRUITER_ID, "招聘经理")
    chat = Chat(system, SEEKER)

    consent = await chat.say(f"/start apply_{VACANCY_ID}")
    assert "华北铝业" in consent and "180 天" in consent and "/forget" in consent
    assert "姓名" in await chat.press("同意")
    assert "手机号" in await chat.say("张三")
    assert any(
        b.get("request_contact") for row in (chat.last.reply_markup or {})["keyboard"] for b in row
    )
    assert "年龄" in await chat.contact("8613812345678", SEEKER)
    assert "城市" in await chat.say("1990")
    assert "岗位" in await chat.say("天津")
    assert "电焊工" in chat.reply_keyboard()  # the vacancy's title, one tap away
    assert "工作" in await chat.say("电焊工")
    assert "技能" in await chat.say("天津")
    assert "经验" in await chat.say("焊工证、会看图纸")
    assert "薪资" in await chat.say("三年")
    assert "到岗" in await chat.say("8000元/月")
    assert "简历文件" in await chat.say("随时可以")
    summary = await chat.document("张三-简历.pdf", "application/pdf")
    for shown in ("张三", "13812345678", "1990", "焊工证、会看图纸", "3 年", "张三-简历.pdf"):
        assert shown in summary

    done = await chat.press("确认提交")
    assert "报名成功" in done
    stored = await system.services.applications.for_applicant(SEEKER)
    assert len(stored) == 1
    application = stored[0]
    assert str(application.number) in done
    assert application.status is ApplicationStatus.submitted
    assert application.resume is not None and application.resume.phone_shared
    assert application.resume.experience_years == 3 and application.resume.birth_year == 1990

    card, file = system.sim.messages_in(RECRUITER_ID)
    assert "13812345678" in (card.plain_text or "")  # the recruiter's card: full phone
    assert f"新报名 {application.number}" in (card.plain_text or "")
    buttons = [b["text"] for row in (card.reply_markup or {})["inline_keyboard"] for b in row]
    assert buttons == ["已查看", "约面试", "已录用", "不合适"]
    assert application.resume.attachment is not None
    attachment = application.resume.attachment
    assert attachment.channel == "telegram" and file.document_file_id == attachment.ref
    # Nothing personal reached a group, and the applicant's keyboard is gone.
    assert chat.last.reply_markup == {"remove_keyboard": True}
    assert await system.services.applications.get_resume(SEEKER) == application.resume


async def test_demo_seeker_applies(system: System) -> None:
    """The function the demo uses walks the same conversation to a filed application."""
    from devkit.demo.seeker import apply_as_seeker  # noqa: PLC0415 - the thing under test

    await system.services.vacancies.save(vacancy())
    system.sim.add_user(RECRUITER_ID)
    last = await apply_as_seeker(system.sim, VACANCY_ID, SEEKER)
    assert "报名成功" in (last.plain_text or "")
    await system.settle()
    card, file = system.sim.messages_in(RECRUITER_ID)
    assert "张伟" in (card.plain_text or "")
    assert system.sim.world.files[file.document_file_id or ""].content == SAMPLE_PDF
