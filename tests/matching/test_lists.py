"""The labour office's two lists through the running system's API: 有活没人干 and 有人没活干,
their filters, nearest matches, and XLSX/CSV exports read back (openpyxl) with Chinese
headers, one row per item. Dates are built from the clock, so the lists hold under
``faketime +365d``."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

from openpyxl import load_workbook

from bot.appkeys import AVAILABILITIES
from jobfeed.applications.models import ApplicationStatus
from jobfeed.matching.export import UNFILLED_HEADERS, UNMATCHED_HEADERS
from jobfeed.models import utcnow
from tests.applications.factories import draft
from tests.harness import System
from tests.matching.test_recruiters import COOK, PICKY, WELDER, WELDER2, seekers, weld


async def vacancies(system: System) -> None:
    save = system.services.vacancies.save
    await save(weld())  # 20 days open
    await save(weld("bt-guard", title="保安", city="包头", days_ago=30, description="巡逻"))
    await save(weld("tl-new", days_ago=1))  # too new to be in the list
    await save(weld("tl-old-filled", days_ago=40))
    await system.services.applications.submit(draft(WELDER2, "tl-old-filled"))


async def get_file(system: System, path: str) -> tuple[int, str, bytes]:
    async with system.http.get(
        system.base_url + path, headers={"Authorization": "Bearer test-admin-token-0123456789"}
    ) as response:
        return response.status, response.content_type, await response.read()


async def test_unfilled_vacancies_with_their_nearest_seekers(system: System) -> None:
    await seekers(system)
    await vacancies(system)
    status, body = await system.api("GET", "/api/reports/unfilled?days=14")
    assert status == 200
    assert [r["vacancy_id"] for r in body["vacancies"]] == ["bt-guard", "tl-weld"]
    weld_row = body["vacancies"][1]
    assert weld_row["days_open"] == 20 and weld_row["applications"] == 0
    assert weld_row["fitting"] == 2
    nearest = weld_row["nearest"]
    assert [n["id"] for n in nearest[:2]] == [str(WELDER), str(WELDER2)]
    assert [n["exact"] for n in nearest] == [True, True, False]  # the third asks 12000
    assert body["vacancies"][0]["fitting"] == 0 and body["vacancies"][0]["nearest"] == []

    only = await system.api("GET", "/api/reports/unfilled?days=14&city=包头")
    assert [r["vacancy_id"] for r in only[1]["vacancies"]] == ["bt-guard"]
    province = await system.api("GET", "/api/reports/unfilled?days=14&city=内蒙古&trade=焊工")
    assert [r["vacancy_id"] for r in province[1]["vacancies"]] == ["tl-weld"]
    assert (await system.api("GET", "/api/reports/unfilled?days=30"))[1]["total"] == 1

    status, media, raw = await get_file(system, "/api/reports/unfilled?days=14&format=xlsx")
    assert status == 200 and "spreadsheetml" in media
    sheet = load_workbook(io.BytesIO(raw)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == UNFILLED_HEADERS and "岗位" in rows[0]
    assert [r[0] for r in rows[1:]] == ["bt-guard", "tl-weld"]
    assert "电焊工 · 通辽 · 8000以上" in str(rows[2][-1])

    status, media, raw = await get_file(system, "/api/reports/unfilled?days=14&format=csv")
    assert status == 200 and media == "text/csv"
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:3] == ["岗位编号", "岗位", "单位"] and len(lines) == 3


async def test_unmatched_seekers_no_match_or_no_answer(system: System) -> None:
    await seekers(system)
    await vacancies(system)
    applications = system.services.applications
    filed = await applications.submit(draft(WELDER, "tl-weld"))
    status, body = await system.api("GET", "/api/reports/unmatched?days=7")
    assert status == 200
    rows = {r["seeker_id"]: r for r in body["seekers"]}
    assert set(rows) == {WELDER, WELDER2, COOK, PICKY}
    assert rows[WELDER2]["reasons"] == ["no_answer"]  # fits, but tl-old-filled never answered
    assert rows[WELDER2]["fitting"] == 3
    assert rows[COOK]["reasons"] == ["no_match"] and rows[COOK]["nearest"] == []
    assert rows[PICKY]["reasons"] == ["no_match"]
    assert rows[PICKY]["nearest"][0]["exact"] is False  # a welder's job paying too little
    assert rows[WELDER]["reasons"] == ["no_answer"] and rows[WELDER]["applications"] == 1
    # No phone in the list, masked or not (WELDER's résumé has one).
    dumped = json.dumps(body)
    assert "phone" not in dumped and not re.search(r"1[3-9]\d(\*{4}|\d{4})\d{4}", dumped)

    await applications.set_status(filed.number, ApplicationStatus.interview, "api")
    rows2 = (await system.api("GET", "/api/reports/unmatched?days=7"))[1]["seekers"]
    assert {r["seeker_id"] for r in rows2} == {WELDER2, COOK, PICKY}
    tianjin = (await system.api("GET", "/api/reports/unmatched?city=天津&trade=厨师"))[1]
    assert [r["seeker_id"] for r in tianjin["seekers"]] == [COOK]

    status, _, raw = await get_file(system, "/api/reports/unmatched?days=7&format=xlsx")
    sheet = load_workbook(io.BytesIO(raw)).active
    assert sheet is not None
    rows3 = list(sheet.iter_rows(values_only=True))
    assert list(rows3[0]) == UNMATCHED_HEADERS
    assert sorted(r[0] for r in rows3[1:]) == sorted([COOK, PICKY, WELDER2])
    assert {r[5] for r in rows3[1:]} == {"没有合适的在招岗位", "报名没有回复"}


async def test_a_seeker_quiet_for_longer_than_the_period_is_not_listed(system: System) -> None:
    await seekers(system)
    repo = system.app[AVAILABILITIES]
    [cook] = await repo.of_person(COOK)
    month_ago = utcnow() - timedelta(days=30)
    await repo.save(cook.model_copy(update={"created_at": month_ago}))
    listed = (await system.api("GET", "/api/reports/unmatched?days=14"))[1]["seekers"]
    assert COOK not in {r["seeker_id"] for r in listed}
    listed = (await system.api("GET", "/api/reports/unmatched?days=60"))[1]["seekers"]
    assert COOK in {r["seeker_id"] for r in listed}


async def test_bad_report_parameters_are_400(system: System) -> None:
    for query in ("days=0", "days=366", "format=pdf", "city=", "days=²"):
        status, body = await system.api("GET", f"/api/reports/unfilled?{query}")
        assert status == 400, query
        assert body["error"]
    status, _ = await system.api("GET", "/api/seekers/42/availability")
    assert status == 404


async def test_one_seekers_availability_masked_and_logged(system: System) -> None:
    await seekers(system)
    status, body = await system.api("GET", f"/api/seekers/{WELDER}/availability")
    assert status == 200 and body["phone_masked"] == "138****5678"
    [a] = body["availabilities"]
    assert a["trades"] == ["电焊工"] and a["places"] == ["通辽"] and a["min_pay"] == 8000
