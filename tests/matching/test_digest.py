"""Each recruiter's daily digest of new job seekers who fit their open vacancies, through
the running system with its clock injected (from 09:00 local, once a day)."""

from __future__ import annotations

from datetime import time, timedelta

from bot.appkeys import ALERTING, APPROVALS, AVAILABILITIES, MATCHMAKING
from tests.handlers.test_alerts import local
from tests.harness import ADMIN_ID, System
from tests.matching.test_recruiters import COOK, WELDER2, recruiter, seekers
from tests.matching.test_seeking import welding_job

BOSS = 67001


def digests(system: System) -> list[str]:
    return [
        m.plain_text or ""
        for m in system.sim.messages_in(BOSS)
        if "新的求职者符合您的岗位" in (m.plain_text or "")
    ]


async def test_a_daily_digest_of_new_people_who_fit(system: System) -> None:
    alerting = system.app[ALERTING]
    alerting.set_clock(lambda: local(0, time(8, 0)))  # before the digest's hour
    digest = system.app[MATCHMAKING].digest
    await seekers(system)  # two fit a welding job in 通辽 paying 10000
    repo = system.app[AVAILABILITIES]
    [old] = await repo.of_person(WELDER2)
    await repo.save(old.model_copy(update={"created_at": old.created_at - timedelta(days=3)}))
    boss = await recruiter(system, BOSS, "草原铝业有限公司")
    await boss.say("/start")
    approvals = system.app[APPROVALS]
    vacancy, _ = await approvals.submit(welding_job(), BOSS)
    await approvals.approve(vacancy.id, f"telegram:{ADMIN_ID}")

    assert await digest.step() == 0 and digests(system) == []  # 08:00: not yet
    alerting.set_clock(lambda: local(0, time(9, 30)))
    assert await digest.step() == 1
    [text] = digests(system)
    # WELDER is new and fits; WELDER2 kept theirs three days ago; PICKY asks too much.
    assert f"{vacancy.id}）：1 位" in text and f"/candidates {vacancy.id}" in text
    assert await digest.step() == 0 and len(digests(system)) == 1  # once a day
    assert str(COOK) not in text
