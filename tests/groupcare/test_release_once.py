"""Two admins releasing one held vacancy at once release it once, audited once."""

from __future__ import annotations

import asyncio

from bot.appkeys import AUDIT, RELEASES
from jobfeed.compliance.release import NotHeld
from tests.harness import System


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
