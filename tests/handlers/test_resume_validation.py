"""Every invalid answer is re-asked with a short reason, and loses nothing."""

from __future__ import annotations

import io
import zipfile

from jobfeed.models import VacancyStatus
from tests.handlers.resume_chat import VACANCY_ID, Chat, vacancy
from tests.harness import System

SEEKER = 610201
OTHER = 610202


async def _at_name_step(system: System) -> Chat:
    await system.services.vacancies.save(vacancy())
    chat = Chat(system, SEEKER)
    await chat.say(f"/start apply_{VACANCY_ID}")
    await chat.press("同意")
    return chat


async def test_bad_phone_and_someone_elses_contact_are_refused(system: System) -> None:
    chat = await _at_name_step(system)
    await chat.say("张三")
    reply = await chat.say("12345")
    assert "不像是手机号" in reply and "手机号" in reply.split("\n\n")[-1]
    assert "不是有效的手机号" in await chat.say("12012345678")
    assert "中国大陆" in await chat.say("+1 202 555 0123")
    assert "不像是手机号" in await chat.say("010-6552-9988 转 8")
    # A contact picked from the address book, and one without any user id.
    system.sim.add_user(OTHER, "别人")
    assert "你自己" in await chat.contact("8613912345678", OTHER)
    assert "你自己" in await chat.contact("8613912345678", None)
    # Typed, with full-width digits and spaces: accepted, and the next step is asked.
    assert "年龄" in await chat.say("１３８ １２３４ ５６７８")
    assert (await chat.system.services.applications.get_resume(SEEKER)) is None


async def test_age_empty_text_and_stickers_are_reasked(system: System) -> None:
    chat = await _at_name_step(system)
    assert "请输入你的姓名" in await chat.say("12345")
    assert "需要用文字回答" in await chat.sticker()
    assert "太长了" in await chat.say("张" * 31)
    await chat.say("张三")
    await chat.say("13812345678")
    assert "年满 16 周岁" in await chat.say("7")
    assert "16 到 70 岁" in await chat.say("200")
    assert "16 到 70 岁" in await chat.say("1900")
    assert "只写数字" in await chat.say("三十五")
    assert "第 3 步" in chat.last_text  # still the age step
    assert "城市" in await chat.say("35岁")
    assert "不能为空" in await chat.say("   ")
    assert "需要用文字回答" in await chat.sticker()
    assert "第 4 步" in chat.last_text
    assert "岗位" in await chat.say("天津")
    await chat.say("电焊工")
    await chat.say("不限")
    await chat.say("无")
    assert "工作年数" in await chat.say("很多年")
    assert "0 到 60 年" in await chat.say("99")
    assert "薪资" in await chat.say("十年以上")


async def test_wrong_or_oversized_files_are_refused(system: System) -> None:
    chat = await _at_name_step(system)
    await chat.fill_resume(file=False)
    await chat.press("简历文件")  # edit the file field from the summary
    assert "只支持 PDF" in await chat.document("cv.exe", "application/x-msdownload", b"MZ\x90")
    assert "超过 10MB" in await chat.document(
        "cv.pdf", "application/pdf", b"%PDF-1.4", size=11 * 1024 * 1024
    )
    assert "对不上" in await chat.document("cv.pdf", "image/png", b"%PDF-1.4")
    # The name and MIME type say PDF; the bytes are a Windows program.
    assert "内容和格式不符" in await chat.document("cv.pdf", "application/pdf", b"MZ\x90\x00")
    # A zip named .docx that is not a Word document.
    fake = io.BytesIO()
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("evil.js", "alert(1)")
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert "内容和格式不符" in await chat.document("cv.docx", mime, fake.getvalue())
    assert "简历文件或照片" in await chat.sticker()
    assert "简历文件或照片" in await chat.say("这是我的简历")
    summary = await chat.photo()
    assert "请核对" in summary and "简历文件：照片" in summary


async def test_a_real_docx_is_accepted(system: System) -> None:
    chat = await _at_name_step(system)
    await chat.fill_resume(file=False)
    await chat.press("简历文件")
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert "简历文件：我的简历.docx" in await chat.document("我的简历.docx", mime, docx.getvalue())


async def test_cancel_and_back(system: System) -> None:
    chat = await _at_name_step(system)
    await chat.say("张三")
    await chat.say("13812345678")
    assert "第 3 步" in chat.last_text
    assert "返回" in chat.reply_keyboard()
    assert "第 2 步" in await chat.say("返回")
    assert "第 1 步" in await chat.say("返回")
    assert "个人信息使用说明" in await chat.say("返回")  # before the first step: consent
    await chat.press("同意")
    assert "第 2 步" in await chat.say("李四")
    assert "第 3 步" in await chat.say("13812345678")
    assert "第 4 步" in await chat.say("40")
    # Changing one field from the summary: "back" returns to the summary.
    await chat.say("天津")
    for answer in ("电焊工", "天津", "焊工证", "3", "面议", "随时可以", "跳过"):
        await chat.say(answer)
    assert "李四" in chat.last_text and "40 岁" in chat.last_text
    await chat.press("年龄")
    assert "请核对" in await chat.say("返回")
    await chat.press("年龄")
    assert "45 岁" in await chat.say("45")

    assert "已退出" in await chat.say("/cancel")
    assert chat.last.reply_markup == {"remove_keyboard": True}
    assert await system.services.applications.get_resume(SEEKER) is None
    assert await system.services.applications.for_applicant(SEEKER) == []
    before = len(chat.messages)
    await chat.say("天津")  # no conversation any more: nothing asks for the next step
    assert all("第 5 步" not in (m.plain_text or "") for m in chat.messages[before:])
    assert "没有进行中" in await chat.say("/cancel")


async def test_declining_consent_stores_nothing(system: System) -> None:
    await system.services.vacancies.save(vacancy())
    chat = Chat(system, SEEKER)
    await chat.say(f"/start apply_{VACANCY_ID}")
    assert "没有保存" in await chat.press("不同意")
    keys = [k async for k in system.services.redis.scan_iter(match=system.services.keys.pattern)]
    personal = [k for k in keys if str(SEEKER) in k]
    assert personal == []


async def test_bad_and_closed_links_get_a_kind_answer(system: System) -> None:
    closed = vacancy("closed-1").model_copy(update={"status": VacancyStatus.closed})
    await system.services.vacancies.save(closed)
    chat = Chat(system, SEEKER)
    assert "招满或下线" in await chat.say("/start apply_closed-1")
    assert "招满或下线" in await chat.say("/start apply_nope")
    assert "链接无效" in await chat.say("/start apply_" + "x" * 41)
    assert "链接无效" in await chat.say("/start apply_a%20b")
    assert "链接无效" in await chat.say("/apply ../../etc")
