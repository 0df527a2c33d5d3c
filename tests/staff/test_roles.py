"""Role checks on every command and button: what a job seeker and a recruiter cannot do."""

from __future__ import annotations

from jobfeed.models import VacancyStatus
from jobfeed.roles import RecruiterStatus
from tests.harness import ADMIN_ID
from tests.staff.conftest import (
    OTHER_RECRUITER_ID,
    RECRUITER_ID,
    SEEKER_ID,
    Staff,
    button_data,
    texts_of,
)
from tests.staff.test_posting import answer_wizard


async def submitted_vacancy(staff: Staff) -> None:
    """Recruiter A has R-00001 waiting for approval."""
    await staff.groups(40)
    await staff.make_recruiter(RECRUITER_ID, "草原铝业有限公司")
    await answer_wizard(staff, target="全部群")
    await staff.press(RECRUITER_ID, staff.with_button(RECRUITER_ID, "pw:submit"), "pw:submit")


async def test_a_job_seeker_cannot_post_or_read_statistics(staff: Staff) -> None:
    replies = {
        command: " ".join(texts_of(await staff.say(SEEKER_ID, command)))
        for command in ("/post", "/stats", "/groups", "/broadcasts", "/pending", "/myjobs")
    }

    assert "只有认证的招聘方可以发布职位" in replies["/post"]
    for command in ("/stats", "/groups", "/broadcasts", "/pending"):
        assert replies[command] == "这个命令只有管理员可以使用。", command
    assert "只有认证招聘方可以使用" in replies["/myjobs"]
    # No conversation was started: the next message is not taken as a job title.
    after = " ".join(texts_of(await staff.say(SEEKER_ID, "电焊工")))
    assert "第 2 步" not in after
    assert await staff.system.services.vacancies.count() == 0


async def test_an_applicant_for_the_role_cannot_post_until_approved(staff: Staff) -> None:
    await staff.say(ADMIN_ID, "/pending")
    applied = texts_of(await staff.say(RECRUITER_ID, "/recruiter 草原铝业有限公司"))
    assert "等待管理员审核" in applied[0]
    assert "只有认证的招聘方" in texts_of(await staff.say(RECRUITER_ID, "/post"))[0]

    request = staff.with_button(ADMIN_ID, f"rv:no:{RECRUITER_ID}:")
    approve = button_data(request, f"rv:ok:{RECRUITER_ID}:")
    await staff.press(RECRUITER_ID, request, approve)  # approving oneself
    assert staff.alerts()[-1] == "只有管理员可以审核。"
    await staff.press(ADMIN_ID, request, button_data(request, f"rv:no:{RECRUITER_ID}:"))
    await staff.press(ADMIN_ID, request, approve)  # too late: decided

    recruiter = await staff.system.services.recruiters.get(RECRUITER_ID)
    assert recruiter is not None and recruiter.status is RecruiterStatus.rejected
    assert recruiter.decided_by == f"telegram:{ADMIN_ID}"
    assert "未通过" in staff.last(RECRUITER_ID).plain_text  # type: ignore[operator]
    assert "只有认证的招聘方" in texts_of(await staff.say(RECRUITER_ID, "/post"))[0]


async def test_a_recruiter_cannot_approve_a_vacancy_even_with_forged_buttons(
    staff: Staff,
) -> None:
    await submitted_vacancy(staff)
    own = staff.last(RECRUITER_ID)

    # Callback data is just text: anyone can send the admin's data from any button.
    await staff.press(RECRUITER_ID, own, "vv:ok:R-00001")
    await staff.say(SEEKER_ID, "/post")
    await staff.press(SEEKER_ID, staff.last(SEEKER_ID), "vv:ok:R-00001")

    assert staff.alerts()[-2:] == ["只有管理员可以审核。"] * 2
    vacancy = await staff.system.services.vacancies.get("R-00001")
    assert vacancy is not None and vacancy.status is VacancyStatus.pending
    total, _ = await staff.system.services.broadcasts.recent()
    assert total == 0


async def test_a_recruiter_cannot_see_or_close_another_recruiters_vacancy(staff: Staff) -> None:
    await submitted_vacancy(staff)
    await staff.press(ADMIN_ID, staff.with_button(ADMIN_ID, "vv:ok:"), "vv:ok:R-00001")
    await staff.wait_broadcasts()
    await staff.make_recruiter(OTHER_RECRUITER_ID, "别家公司")

    seen = texts_of(await staff.say(OTHER_RECRUITER_ID, "/applicants R-00001"))
    assert seen == ["这不是您发布的职位。"]
    assert "报名 0 人" in texts_of(await staff.say(RECRUITER_ID, "/applicants R-00001"))[0]
    assert "还没有发布过职位" in texts_of(await staff.say(OTHER_RECRUITER_ID, "/myjobs"))[0]

    own = staff.last(OTHER_RECRUITER_ID)
    await staff.press(OTHER_RECRUITER_ID, own, "vx:R-00001:del")
    assert staff.alerts()[-1] == "这不是您发布的职位。"
    vacancy = await staff.system.services.vacancies.get("R-00001")
    assert vacancy is not None and vacancy.status is VacancyStatus.active
    assert not staff.sim.deletes


async def test_malformed_button_data_is_answered_and_changes_nothing(staff: Staff) -> None:
    await submitted_vacancy(staff)
    own, admins = staff.last(RECRUITER_ID), staff.last(ADMIN_ID)
    for data in ("vv:ok:../../etc", "vv:maybe:R-00001", "rv:ok:-5"):
        await staff.press(ADMIN_ID, admins, data)
    for data in ("vx:R-00001", "pw:submit"):  # truncated; a wizard no longer running
        await staff.press(RECRUITER_ID, own, data)

    assert staff.alerts()[-5:] == ["这个按钮已失效。"] * 5
    vacancy = await staff.system.services.vacancies.get("R-00001")
    assert vacancy is not None and vacancy.status is VacancyStatus.pending
