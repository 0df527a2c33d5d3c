"""The /post wizard runs the post checker: the recruiter sees the findings in the preview,
a held post is kept but not sent to the admins; fixed, it goes through; the admin sees
the flags (age) when approving; a held one cannot be approved until released."""

from __future__ import annotations

from bot.appkeys import APPROVALS
from jobfeed.models import VacancyStatus
from tests.harness import ADMIN_ID
from tests.staff.conftest import RECRUITER_ID, Staff, texts_of
from tests.staff.dashboard import Visitor
from tests.staff.scenario import draft


async def wizard(staff: Staff, requirements: str, duties: str) -> list[str]:
    replies: list[str] = []
    for text in [
        "/post",
        "仓库管理员",
        "草原铝业有限公司",
        "烟台",
        "5000-8000元/月",
        "2",
        requirements,
        duties,
        "包吃包住",
        "139 1234 5678",
        "全部群",
    ]:
        replies += texts_of(await staff.say(RECRUITER_ID, text))
    return replies


async def test_the_wizard_shows_findings_holds_and_a_fixed_post_passes(staff: Staff) -> None:
    await staff.groups(5)
    await staff.make_recruiter(RECRUITER_ID, "草原铝业有限公司")

    replies = await wizard(staff, "限男性，入职交押金300元", "跳过")
    confirm = staff.with_button(RECRUITER_ID, "pw:submit")
    shown = confirm.plain_text or ""
    assert "合规检查" in shown and "「限男性」" in shown and "男女不限" in shown
    assert "「交押金300元」" in shown and "不收取任何费用" in shown
    assert "缺少工作内容" in shown and "会被暂扣" in shown
    assert any("第 7 步：工作内容" in r for r in replies)
    asked = len(staff.sim.messages_in(ADMIN_ID))

    await staff.press(RECRUITER_ID, confirm, "pw:submit")
    assert "暂扣" in (staff.last(RECRUITER_ID).plain_text or "")
    held = await staff.system.services.vacancies.get("R-00001")
    assert held is not None and held.status is VacancyStatus.held
    assert held.compliance is not None
    assert {f.rule for f in held.compliance.findings} == {"gender", "fees", "missing.duties"}
    assert len(staff.sim.messages_in(ADMIN_ID)) == asked  # nothing for the admins to approve
    status, answer = await staff.system.api("POST", "/api/vacancies/R-00001/approve")
    assert status == 200 and answer["outcome"] == "failed" and "gender" in answer["error"]

    # Fixed and submitted again: it waits for the admin, who sees the age flag.
    await wizard(staff, "男女不限，18-45岁，不收取任何费用", "负责出入库登记和盘点")
    confirm = staff.with_button(RECRUITER_ID, "pw:submit")
    shown = confirm.plain_text or ""
    assert "「18-45岁」" in shown and "会被暂扣" not in shown and "提交审核" in shown
    await staff.press(RECRUITER_ID, confirm, "pw:submit")
    assert "已提交审核（编号 R-00002）" in (staff.last(RECRUITER_ID).plain_text or "")
    fixed = await staff.system.services.vacancies.get("R-00002")
    assert fixed is not None and fixed.status is VacancyStatus.pending
    assert fixed.expires_at is not None and fixed.expires_at > fixed.posted_at  # validity
    request = staff.with_button(ADMIN_ID, "vv:ok:R-00002")
    assert "合规提示" in (request.plain_text or "") and "18-45岁" in (request.plain_text or "")
    await staff.press(ADMIN_ID, request, "vv:ok:R-00002")
    await staff.wait_broadcasts()
    approved = await staff.system.services.vacancies.get("R-00002")
    assert approved is not None and approved.status is VacancyStatus.active


async def test_a_held_submission_released_by_an_admin_then_approved(staff: Staff) -> None:
    await staff.groups(3)
    await staff.make_recruiter(RECRUITER_ID, "草原铝业有限公司")
    await wizard(staff, "限本地户口", "负责社区网格巡查")
    await staff.press(RECRUITER_ID, staff.with_button(RECRUITER_ID, "pw:submit"), "pw:submit")
    status, released = await staff.system.api(
        "POST", "/api/vacancies/R-00001/release", json={"reason": "依当地政策，网格员须本地户籍"}
    )
    assert status == 200 and released["status"] == "pending"  # its approval still waits
    status, answer = await staff.system.api("POST", "/api/vacancies/R-00001/approve")
    assert status == 200 and answer["outcome"] == "done"
    await staff.wait_broadcasts()
    vacancy = await staff.system.services.vacancies.get("R-00001")
    assert vacancy is not None and vacancy.status is VacancyStatus.active
    _, audit = await staff.system.api("GET", "/api/audit")
    assert [e["vacancy_id"] for e in audit["entries"]] == ["R-00001"]


async def test_the_dashboard_shows_findings_and_releases_with_a_reason(staff: Staff) -> None:
    visitor = Visitor(staff.system.base_url)
    try:
        assert await visitor.sign_in() == 303
        await staff.make_recruiter(RECRUITER_ID, "草原铝业有限公司")
        approvals = staff.system.app[APPROVALS]
        held, _ = await approvals.submit(
            draft().model_copy(update={"requirements": "限男性，35岁以下"}), RECRUITER_ID
        )
        assert held.status is VacancyStatus.held
        _, page, _ = await visitor.get("/dashboard/vacancies?status=held")
        assert "「限男性」" in page and "「35岁以下」" in page and "合规暂扣 1" in page
        path = f"/dashboard/vacancies/{held.id}/release"
        assert path in page

        _, _, response = await visitor.post(path, {"reason": "  "})
        assert "notice=release_no_reason" in response.headers["Location"]
        _, _, response = await visitor.post(path, {"reason": "该岗位为井下作业，已核实"})
        assert "notice=release_done" in response.headers["Location"]
        _, _, response = await visitor.post(path, {"reason": "再放一次"})
        assert "notice=release_not_held" in response.headers["Location"]
        _, audit = await staff.system.api("GET", "/api/audit")
        [entry] = audit["entries"]
        assert entry["reason"] == "该岗位为井下作业，已核实"
        assert entry["actor"].startswith("web:")
        assert {f["rule"] for f in entry["findings"]} == {"gender", "age"}  # flags seen too
        released = await staff.system.services.vacancies.get(held.id)
        assert released is not None and released.status is VacancyStatus.pending
    finally:
        await visitor.close()
