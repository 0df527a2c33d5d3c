"""The ledger (台账) and the reward roster as files an office opens, and /forget."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import load_workbook

from jobfeed.applications.models import AccessAction
from tests.brokers.journey import apply, clock_at, data_of, hire
from tests.harness import ADMIN_TOKEN, System

FIRST, SECOND = 630001, 630002


async def download(
    system: System, path: str, token: str | None = ADMIN_TOKEN
) -> tuple[int, bytes, str]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with system.http.get(system.base_url + path, headers=headers) as response:
        return response.status, await response.read(), response.headers.get("Content-Type", "")


def rows_of(body: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


async def two_placements(system: System) -> None:
    await apply(system, FIRST)
    await apply(system, SECOND)
    await hire(system, FIRST)
    await hire(system, SECOND)


async def test_the_ledger_as_xlsx_and_csv(system: System) -> None:
    clock = clock_at(system)
    await two_placements(system)
    clock.forward(days=32)
    await system.services.checkins.step()
    question = system.sim.messages_in(FIRST)[-1]
    system.sim.callback(FIRST, FIRST, question.message_id, data_of(question, "还在"))
    await system.settle()
    status, body, kind = await download(system, "/api/ledger?format=xlsx")
    assert status == 200 and "spreadsheetml" in kind
    header, *rows = rows_of(body)
    assert header[:4] == ["编号", "姓名", "手机号", "家庭住址（村/镇）"]
    assert header[-3:] == ["1个月在岗", "3个月在岗", "6个月在岗"]
    by_phone = {row[2]: row for row in rows}
    assert set(by_phone) == {"13912340001", "13912340002"}  # the office's export: whole
    first = by_phone["13912340001"]
    assert (first[1], first[6], first[7]) == ("张三", "华北铝业", "电焊工")
    assert str(first[-3]).startswith("还在（") and first[-2] == "未到期"
    assert by_phone["13912340002"][-3] == "未回复"
    # The office records its own columns; a missing placement is a 404.
    number = first[0]
    status, body = await system.api(
        "PATCH",
        f"/api/placements/{number}",
        json={"training": "焊工培训", "insurance": "已参保", "subsidy": "交通补贴500元"},
    )
    assert status == 200 and body["insurance"] == "已参保" and "phone" not in body
    assert (await system.api("PATCH", "/api/placements/999", json={}))[0] == 404
    _, again, _ = await download(system, "/api/ledger")
    row = next(r for r in rows_of(again)[1:] if r[0] == number)
    assert (row[10], row[11], row[12]) == ("焊工培训", "已参保", "交通补贴500元")
    # Whole phones were read: each row's read is in the access log.
    log = await system.services.applications.access_log()
    exported = [r.number for r in log if r.action is AccessAction.exported and r.actor == "api"]
    assert set(exported) == {row[0] for row in rows}
    # Masked, as CSV Excel opens (a BOM), and filtered.
    status, body, kind = await download(system, "/api/ledger?format=csv&masked=true&employer=华北")
    assert status == 200 and kind.startswith("text/csv") and body.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert table[0][0] == "编号" and len(table) == 3
    assert {r[2] for r in table[1:]} == {"139****0001", "139****0002"}
    status, body, _ = await download(system, "/api/ledger?employer=别家&format=csv")
    assert len(body.decode("utf-8-sig").splitlines()) == 1  # headers only
    # Bad input is a JSON 400; no token, a 401.
    status, _, kind = await download(system, "/api/ledger?from=2026-05-32")
    assert status == 400 and "json" in kind
    assert (await download(system, "/api/ledger", token=None))[0] == 401


async def test_forget_keeps_the_row_but_no_personal_data(system: System) -> None:
    clock = clock_at(system)
    await two_placements(system)
    system.sim.user_message(FIRST, FIRST, "/forget")
    await system.settle()
    confirm = system.sim.messages_in(FIRST)[-1]
    system.sim.callback(FIRST, FIRST, confirm.message_id, data_of(confirm, "确认删除"))
    await system.settle()
    _, body, _ = await download(system, "/api/ledger")
    _, *rows = rows_of(body)
    assert len(rows) == 2  # the count stays
    text = repr(rows)
    assert "13912340001" not in text and "139****0001" not in text
    forgotten = next(r for r in rows if r[1] == "（已删除）")
    assert forgotten[2] in ("", None) and forgotten[3] in ("", None)
    assert forgotten[6] == "华北铝业"  # the non-personal columns stay
    # The check-ins of a forgotten worker are not asked.
    assert await system.services.placements.for_worker(FIRST) == []
    clock.forward(days=32)
    assert await system.services.checkins.step() == (1, 0)
