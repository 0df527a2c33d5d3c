"""A day of activity for statistics tests: a recruiter's vacancy approved and broadcast to
groups of which some are gone, and a few applications filed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bot.appkeys import APPROVALS
from devkit.demo.seeker import apply_as_seeker
from jobfeed.applications.models import ApplicationDraft, Consent, Resume
from jobfeed.models import GroupFilter
from jobfeed.posting import VacancyDraft
from tests.harness import ADMIN_ID
from tests.staff.conftest import RECRUITER_ID, Staff

VANISHED = 3
KICKED = 2
APPLICANTS = 4


@dataclass
class Recorded:
    """What the simulator saw: the ground truth the statistics must equal."""

    targeted: int
    delivered: int
    failures: Counter[str]
    applications: int


def draft() -> VacancyDraft:
    return VacancyDraft(
        title="电焊工",
        employer="草原铝业有限公司",
        city="烟台",
        province="山东",
        salary_min=5000,
        salary_max=8000,
        headcount=3,
        requirements="持焊工证",
        description="负责钢结构焊接",
        benefits=["包吃包住"],
        contact_phone="13912345678",
        target=GroupFilter(),
    )


def resume(user_id: int) -> Resume:
    return Resume(
        user_id=user_id,
        name=f"求职者{user_id}",
        phone=f"1381234{user_id % 10000:04d}",
        age=30,
        city="烟台",
        desired_job="电焊工",
        desired_place="烟台",
        skills="持焊工证",
        experience_years=5,
        expected_pay="6000",
        start_date="随时",
    )


async def broadcast_day(
    staff: Staff, groups: int = 40, *, real_applicants: bool = False
) -> Recorded:
    """With ``real_applicants`` the job seekers apply through the whole conversation in the
    simulator (slower); otherwise their applications are filed directly."""
    services = staff.system.services
    matrix = await staff.groups(groups)
    # Gone without the bot being told: the broadcast finds out by sending.
    for group in matrix[:VANISHED]:
        staff.sim.vanish(group.chat_id)
    for group in matrix[VANISHED : VANISHED + KICKED]:
        staff.sim.world.chats[group.chat_id].bot_status = "kicked"
    approvals = staff.system.app[APPROVALS]
    vacancy, _ = await approvals.submit(draft(), RECRUITER_ID)
    await approvals.approve(vacancy.id, f"telegram:{ADMIN_ID}")
    await staff.wait_broadcasts()
    if real_applicants:
        await staff.say(RECRUITER_ID, "/myjobs")  # the recruiter's chat, for the cards
        for n in range(APPLICANTS):
            await apply_as_seeker(staff.sim, vacancy.id, 810000 + n)
        await staff.system.settle()
    for n in range(0 if real_applicants else APPLICANTS):
        await services.applications.submit(
            ApplicationDraft(
                vacancy_id=vacancy.id,
                vacancy_title=vacancy.title,
                employer=vacancy.employer,
                recruiter_id=RECRUITER_ID,
                resume=resume(810000 + n),
                consent=Consent(
                    employer=vacancy.employer, vacancy_id=vacancy.id, retention_days=30
                ),
            )
        )
    in_groups = {g.chat_id for g in matrix}
    failures: Counter[str] = Counter()
    for rejection in staff.sim.rejections:
        if rejection.chat_id in in_groups:
            reason = "chat_not_found" if rejection.error_code == 400 else "forbidden"
            failures[reason] += 1
    delivered = sum(
        1 for m in staff.sim.sent if m.chat_id in in_groups and m.method == "sendMessage"
    )
    cards = [m for m in staff.sim.messages_in(RECRUITER_ID) if "新报名" in (m.plain_text or "")]
    return Recorded(
        len(matrix), delivered, failures, len(cards) if real_applicants else APPLICANTS
    )
