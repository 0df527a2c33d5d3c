"""The monthly broker-reward roster (XLSX) and the placement figures."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from tests.brokers.journey import apply, clock_at, data_of, hire
from tests.brokers.test_attribution import BROKER, become_broker
from tests.handlers.resume_chat import VACANCY_ID
from tests.harness import ADMIN_TOKEN, System
from tests.staff.dashboard import Visitor

STAYS, LEAVES, DIRECT = 650001, 650002, 650003


async def sheet(system: System, path: str) -> list[list[Any]]:
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    async with system.http.get(system.base_url + path, headers=headers) as response:
        assert response.status == 200, await response.text()
        body = await response.read()
    book = load_workbook(io.BytesIO(body)).active
    assert book is not None
    return [list(r) for r in book.iter_rows(values_only=True)]


async def answer(system: System, person: int, label: str) -> None:
    question = system.sim.messages_in(person)[-1]
    system.sim.callback(person, person, question.message_id, data_of(question, label))
    await system.settle()


async def test_the_reward_roster_and_the_figures(system: System) -> None:
    settings = system.services.settings
    assert (settings.broker_reward_yuan, settings.broker_reward_months) == (500, 3)
    clock = clock_at(system)
    broker, _ = await become_broker(system, BROKER, "李四")
    for seeker in (STAYS, LEAVES):
        await apply(system, seeker, f"ref_{broker.code}_apply_{VACANCY_ID}")
    await apply(system, DIRECT)
    for seeker in (STAYS, LEAVES, DIRECT):
        await hire(system, seeker)
    job = system.services.checkins
    clock.forward(days=95)  # past the 1- and 3-month check-ins
    await job.step()
    await job.step()
    for seeker in (STAYS, LEAVES, DIRECT):  # the newest question is the 3-month one
        if seeker == LEAVES:
            await answer(system, seeker, "已离开")
            await answer(system, seeker, "合同到期")
        else:
            await answer(system, seeker, "还在")
    month = clock.now.astimezone(system.services.placements.zone).strftime("%Y-%m")
    header, *rows = await sheet(system, f"/api/brokers/rewards?month={month}")
    assert header[0] == "经纪人" and header[-1] == "奖励金额（元）"
    # One worker stayed 3 months through the broker; the direct hire earns nobody anything.
    assert len(rows) == 2
    earned, total = rows
    assert (earned[0], earned[1], earned[2]) == ("李四", broker.code, broker.licence)
    assert earned[6] == "13912340001" and earned[-1] == 500
    assert total[0] == "合计" and total[-1] == 500
    masked = await sheet(system, f"/api/brokers/rewards?month={month}&masked=true")
    assert masked[1][6] == "139****0001"
    assert len(await sheet(system, "/api/brokers/rewards?month=2001-01")) == 1  # headers only
    # The figures: in all, per broker, per county (the broker's area) and per employer.
    status, figures = await system.api("GET", "/api/stats/placements")
    assert status == 200
    assert figures["total"]["placements"] == 3
    assert figures["total"]["retention"]["3"] == {"stayed": 2, "left": 1, "unanswered": 0}
    assert figures["total"]["retention"]["1"]["unanswered"] == 3
    assert figures["by_broker"][broker.code]["placements"] == 2
    assert figures["by_broker"][broker.code]["rewards_owed"] == 500
    assert figures["by_county"]["化德县"]["placements"] == 2
    assert figures["by_employer"]["华北铝业"]["placements"] == 3
    # The dashboard page: the same figures, charts, the rows with masked phones, and the
    # office's export with whole phones, logged under the signed-in account.
    visitor = Visitor(system.base_url)
    try:
        assert await visitor.sign_in() in (302, 303)
        status, html, _ = await visitor.get("/dashboard/placements")
        assert status == 200
        assert 'data-stat="placements">3<' in html and 'data-stat="rewards">500<' in html
        assert "<svg" in html and "李四" in html
        assert "139****0001" in html and "13912340001" not in html
        async with visitor.http.get(f"{system.base_url}/dashboard/placements/ledger.xlsx") as r:
            assert r.status == 200
            body = await r.read()
        ledger = load_workbook(io.BytesIO(body)).active
        assert ledger is not None
        phones = {row[2] for row in ledger.iter_rows(min_row=2, values_only=True)}
        assert "13912340001" in phones
        log = await system.services.applications.access_log()
        assert any(r.actor == "web:token" for r in log)
    finally:
        await visitor.close()
