"""Two admins releasing one held vacancy at once release it once, audited once."""

from __future__ import annotations

import asyncio

from bot.appkeys import AUDIT, RELEASES
from jobfeed.compliance.release import NotHeld
from tests.harness import ADMIN_ID, System


async def test_two_concurrent_releases_release_once(system: System) -> None:
    body = {
        "id": "H-1",
        "title": "仓库管理员",
        "employer": "草原物流有限公司",
        "city": "烟台",
        "province": "山东",
        "salary_min": 5000,
        "salary_max": 7000,
        "headcount": 2,
        "requirements": "限男性，会用电脑",
        "description": "负责出入库登记",
        "expires_at": "2099-12-11T08:00:00+00:00",
    }
    status, held = await system.api("POST", "/api/vacancies", json=body)
    assert status == 201 and held["status"] == "held"
    releases = system.app[RELEASES]
    outcomes = await asyncio.gather(
        releases.release("H-1", "api:甲", "已核实"),
        releases.release("H-1", "chat:乙", "已核实"),
        return_exceptions=True,
    )
    released = [o for o in outcomes if not isinstance(o, BaseException)]
    refused = [o for o in outcomes if isinstance(o, NotHeld)]
    assert len(released) == 1 and len(refused) == 1
    total, entries = await system.app[AUDIT].recent()
    assert total == 1 and entries[0].vacancy_id == "H-1"
    # Released, it cannot be released again.
    assert (await system.api("POST", "/api/vacancies/H-1/release", json={"reason": "x"}))[0] == 409


async def test_an_admin_releases_a_held_vacancy_from_chat_and_it_is_audited(
    system: System,
) -> None:
    body = {
        "id": "H-2",
        "title": "保安",
        "employer": "草原物流有限公司",
        "city": "烟台",
        "province": "山东",
        "salary_min": 5000,
        "salary_max": 7000,
        "headcount": 2,
        "requirements": "报名费200元",
        "description": "门岗值守",
        "expires_at": "2099-12-11T08:00:00+00:00",
    }
    assert (await system.api("POST", "/api/vacancies", json=body))[1]["status"] == "held"
    sim = system.sim
    sim.add_user(ADMIN_ID, "管理员")
    sim.user_message(ADMIN_ID, ADMIN_ID, "/release H-2 已核实，报名费由公司承担")
    sim.user_message(4242, 4242, "/release H-2 我也想放行")  # not an admin
    await system.settle()
    assert "已放行职位 H-2" in (sim.messages_in(ADMIN_ID)[-1].plain_text or "")
    assert "已放行" not in "".join(m.plain_text or "" for m in sim.messages_in(4242))
    _, vacancy = await system.api("GET", "/api/vacancies/H-2")
    assert vacancy["status"] == "active"
    _, entries = await system.app[AUDIT].recent()
    [entry] = entries
    assert entry.actor == f"chat:{ADMIN_ID}" and entry.reason == "已核实，报名费由公司承担"
    sim.user_message(ADMIN_ID, ADMIN_ID, "/release H-2 再放一次")
    await system.settle()
    assert "没有被拦截" in (sim.messages_in(ADMIN_ID)[-1].plain_text or "")
