"""A button left over from an earlier request, and a close that stopped half-way."""

from __future__ import annotations

from jobfeed.models import VacancyStatus
from jobfeed.roles import RecruiterStatus
from tests.harness import ADMIN_ID
from tests.staff.conftest import RECRUITER_ID, Staff, button_data, texts_of
from tests.staff.dashboard import Visitor
from tests.staff.test_posting import answer_wizard


async def test_an_old_approve_button_does_not_approve_a_later_application(staff: Staff) -> None:
    recruiters = staff.system.services.recruiters
    await staff.say(ADMIN_ID, "/pending")  # opens the admin's private chat
    await staff.say(RECRUITER_ID, "/recruiter 草原铝业有限公司")
    first = staff.with_button(ADMIN_ID, f"rv:ok:{RECRUITER_ID}:")
    old_approve = button_data(first, f"rv:ok:{RECRUITER_ID}:")
    await staff.press(ADMIN_ID, first, button_data(first, f"rv:no:{RECRUITER_ID}:"))
    assert "未通过" in (staff.last(RECRUITER_ID).plain_text or "")

    await staff.say(RECRUITER_ID, "/recruiter 新公司")
    second = staff.with_button(ADMIN_ID, f"rv:ok:{RECRUITER_ID}:")
    assert second.message_id != first.message_id
    await staff.press(ADMIN_ID, first, old_approve)  # the first request's button, kept

    assert staff.alerts()[-1] == "这个按钮已失效。"
    recruiter = await recruiters.get(RECRUITER_ID)
    assert recruiter is not None and recruiter.status is RecruiterStatus.pending
    assert recruiter.employer == "新公司"
    assert "只有认证的招聘方" in texts_of(await staff.say(RECRUITER_ID, "/post"))[0]

    # The new request's own button still decides it.
    await staff.press(ADMIN_ID, second, button_data(second, f"rv:ok:{RECRUITER_ID}:"))
    recruiter = await recruiters.get(RECRUITER_ID)
    assert recruiter is not None and recruiter.status is RecruiterStatus.approved
    assert "认证已通过" in (staff.last(RECRUITER_ID).plain_text or "")


async def test_closing_again_finishes_a_retraction_that_never_happened(staff: Staff) -> None:
    services = staff.system.services
    matrix = await staff.groups(60)
    yantai = [g.chat_id for g in matrix if g.city == "烟台"]
    await staff.make_recruiter(RECRUITER_ID, "草原铝业有限公司")
    await answer_wizard(staff)
    await staff.press(RECRUITER_ID, staff.with_button(RECRUITER_ID, "pw:submit"), "pw:submit")
    await staff.press(ADMIN_ID, staff.with_button(ADMIN_ID, "vv:ok:"), "vv:ok:R-00001")
    await staff.wait_broadcasts()
    await staff.say(RECRUITER_ID, "/myjobs")
    await staff.press(RECRUITER_ID, staff.with_button(RECRUITER_ID, "vx:"), "vx:R-00001:ask")
    choices = staff.with_button(RECRUITER_ID, "vx:R-00001:del")
    # What a close leaves when the process dies before retracting: closed, posts live.
    # Pressing the button again (or Telegram redelivering the press) must finish it.
    await services.vacancies.set_status("R-00001", VacancyStatus.closed)
    await services.submissions.mark_closed("R-00001")
    assert all(staff.sim.messages_in(chat_id) for chat_id in yantai)
    await staff.press(RECRUITER_ID, choices, "vx:R-00001:del")
    await staff.wait_broadcasts()

    assert yantai
    for chat_id in yantai:
        assert staff.sim.messages_in(chat_id) == []  # withdrawn
        assert staff.sim.messages_in(chat_id, include_deleted=True)
    assert "正在撤回" in (staff.last(RECRUITER_ID).plain_text or "")
    submission = await services.submissions.get("R-00001")
    assert submission is not None and submission.retraction_id is not None
    await staff.press(RECRUITER_ID, choices, "vx:R-00001:del")  # now it is done
    assert "已经关闭" in (staff.last(RECRUITER_ID).plain_text or "")


async def test_a_recruiter_revoked_on_the_dashboard_is_told_revoked_not_rejected(
    staff: Staff,
) -> None:
    await staff.make_recruiter(RECRUITER_ID, "草原铝业有限公司")
    visitor = Visitor(staff.system.base_url)
    try:
        assert await visitor.sign_in() == 303
        status, _, response = await visitor.post(
            f"/dashboard/recruiters/{RECRUITER_ID}/revoke", {}
        )
    finally:
        await visitor.close()

    assert status == 303 and "notice=recruiter_decided" in response.headers["Location"]
    told = staff.last(RECRUITER_ID).plain_text or ""
    assert "已被管理员撤销" in told and "未通过" not in told
    assert "只有认证的招聘方" in texts_of(await staff.say(RECRUITER_ID, "/post"))[0]
