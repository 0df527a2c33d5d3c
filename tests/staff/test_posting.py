"""A recruiter posts a vacancy from chat; an admin approves it; the groups get it."""

from __future__ import annotations

from collections import Counter

from jobfeed.models import VacancyStatus
from tests.harness import ADMIN_ID
from tests.staff.conftest import RECRUITER_ID, Staff, buttons, texts_of


async def answer_wizard(staff: Staff, target: str = "城市=烟台") -> list[str]:
    """Go through every step of /post, with a wrong answer at some steps on the way."""
    replies: list[str] = []
    for text in [
        "/post",
        "电焊工",
        "草原铝业有限公司",  # the default employer's button
        "不存在的地方",  # unknown place: asked again
        "烟台",
        "月薪99999999",  # implausible pay: asked again
        "5000-8000元/月",
        "三",
        "持电焊证，无经验可培训",
        "负责钢结构焊接，两班倒",
        "包吃包住，五险一金",
        "12345",  # not a phone: asked again
        "139 1234 5678",
        target,
    ]:
        replies += texts_of(await staff.say(RECRUITER_ID, text))
    return replies


async def test_the_wizard_end_to_end_approval_broadcasts_the_preview(staff: Staff) -> None:
    matrix = await staff.groups(60)
    yantai = [g.chat_id for g in matrix if g.city == "烟台"]
    assert yantai, "the sample needs groups in 烟台"
    await staff.make_recruiter(RECRUITER_ID, "草原铝业有限公司")

    replies = await answer_wizard(staff)

    assert any("没找到「不存在的地方」" in r for r in replies)
    assert any("没看懂这个薪资" in r for r in replies)
    assert any("不是有效的电话号码" in r for r in replies)
    assert any("山东 烟台" in r for r in replies)
    confirm = staff.with_button(RECRUITER_ID, "pw:submit")
    assert f"共 {len(yantai)} 个群" in (confirm.plain_text or "")
    preview = staff.sim.messages_in(RECRUITER_ID)[-2]
    assert "电焊工" in (preview.plain_text or "") and "13912345678" not in (preview.text or "")

    await staff.press(RECRUITER_ID, confirm, "pw:submit")
    submitted = staff.last(RECRUITER_ID).plain_text or ""
    assert "已提交审核（编号 R-00001）" in submitted
    vacancy = await staff.system.services.vacancies.get("R-00001")
    assert vacancy is not None and vacancy.status is VacancyStatus.pending
    assert (vacancy.employer, vacancy.city, vacancy.province) == (
        "草原铝业有限公司",
        "烟台",
        "山东",
    )
    assert (vacancy.salary_min, vacancy.salary_max, vacancy.headcount) == (5000, 8000, 3)
    assert vacancy.contact_phone == "13912345678" and vacancy.recruiter_id == RECRUITER_ID
    assert staff.sim.sent and not any(m.chat_id in yantai for m in staff.sim.sent)

    request = staff.with_button(ADMIN_ID, "vv:ok:R-00001")
    await staff.press(ADMIN_ID, request, "vv:ok:R-00001")
    await staff.press(ADMIN_ID, request, "vv:ok:R-00001")  # replayed: no second broadcast
    await staff.wait_broadcasts()

    posts = [m for m in staff.sim.sent if m.chat_id < 0]
    assert Counter(m.chat_id for m in posts) == Counter(yantai)
    assert {m.text for m in posts} == {preview.text}  # exactly what the recruiter saw
    assert {tuple(buttons(m)) for m in posts} == {tuple(buttons(preview))}
    assert any("已通过审核" in t for t in texts_of(staff.sim.messages_in(RECRUITER_ID)))
    assert any("已由管理员" in a for a in staff.alerts())
    _, broadcasts = await staff.system.services.broadcasts.recent()
    assert len(broadcasts) == 1 and broadcasts[0].delivered == len(yantai)

    jobs = texts_of(await staff.say(RECRUITER_ID, "/myjobs"))
    assert any(f"已送达 {len(yantai)}/{len(yantai)} 个群" in t for t in jobs)


async def test_closing_a_filled_vacancy_marks_its_posts_in_every_group(staff: Staff) -> None:
    matrix = await staff.groups(60)
    yantai = [g.chat_id for g in matrix if g.city == "烟台"]
    await staff.make_recruiter(RECRUITER_ID, "草原铝业有限公司")
    await answer_wizard(staff)
    await staff.press(RECRUITER_ID, staff.with_button(RECRUITER_ID, "pw:submit"), "pw:submit")
    await staff.press(ADMIN_ID, staff.with_button(ADMIN_ID, "vv:ok:"), "vv:ok:R-00001")
    await staff.wait_broadcasts()

    await staff.say(RECRUITER_ID, "/myjobs")
    await staff.press(RECRUITER_ID, staff.with_button(RECRUITER_ID, "vx:"), "vx:R-00001:ask")
    choices = staff.with_button(RECRUITER_ID, "vx:R-00001:edit")
    await staff.press(RECRUITER_ID, choices, "vx:R-00001:edit")
    await staff.wait_broadcasts()

    vacancy = await staff.system.services.vacancies.get("R-00001")
    assert vacancy is not None and vacancy.status is VacancyStatus.closed
    for chat_id in yantai:
        [post] = staff.sim.messages_in(chat_id)
        assert "已招满" in (post.plain_text or "")
    assert any("已关闭" in t for t in texts_of(staff.sim.messages_in(RECRUITER_ID)))
    await staff.press(RECRUITER_ID, choices, "vx:R-00001:edit")  # pressed again
    assert "已经关闭" in (staff.last(RECRUITER_ID).plain_text or "")


async def test_cancel_restart_and_the_wizard_stays_in_private_chat(staff: Staff) -> None:
    [group] = await staff.groups(1)
    await staff.make_recruiter(RECRUITER_ID, "草原铝业有限公司")

    in_group = texts_of(await staff.say(RECRUITER_ID, "/post", chat_id=group.chat_id))
    assert in_group == ["请私聊我发送 /post 发布职位，群里不收集职位信息。"]
    await staff.say(RECRUITER_ID, "/post")
    await staff.say(RECRUITER_ID, "电焊工")
    assert "已取消" in texts_of(await staff.say(RECRUITER_ID, "/cancel"))[0]
    # No step is waiting: the text is not taken as the employer (it is a search now).
    after = " ".join(texts_of(await staff.say(RECRUITER_ID, "草原铝业有限公司")))
    assert "第 3 步" not in after

    await answer_wizard(staff, target="全部群")
    await staff.press(RECRUITER_ID, staff.with_button(RECRUITER_ID, "pw:restart"), "pw:restart")
    assert "第 1 步" in (staff.last(RECRUITER_ID).plain_text or "")
    await staff.say(RECRUITER_ID, "/myjobs")  # a command in the middle is answered...
    assert "还没有发布过职位" in (staff.last(RECRUITER_ID).plain_text or "")
    await staff.say(RECRUITER_ID, "叉车工")  # ...and the wizard goes on where it was
    assert "第 2 步" in (staff.last(RECRUITER_ID).plain_text or "")
    assert await staff.system.services.vacancies.count() == 0
