"""The dashboard's matching page: both lists with their filters and nearest matches, the
XLSX download read back, who fits one vacancy (phones masked), the figures."""

from __future__ import annotations

import io
import os
from pathlib import Path

from openpyxl import load_workbook

from jobfeed.matching.export import UNMATCHED_HEADERS
from tests.harness import System
from tests.matching.test_lists import vacancies
from tests.matching.test_recruiters import COOK, PICKY, seekers
from tests.staff.dashboard import Visitor


async def test_the_matching_page_lists_exports_and_candidates(system: System) -> None:
    await seekers(system)
    await vacancies(system)
    visitor = Visitor(system.base_url)
    try:
        await visitor.sign_in()
        status, page, _ = await visitor.get("/dashboard/matching?kind=unfilled&days=14")
        assert status == 200
        assert 'data-id="bt-guard"' in page and 'data-id="tl-weld"' in page
        assert 'data-id="tl-new"' not in page
        assert "电焊工 · 通辽 · 8000以上" in page
        if os.environ.get("MATCHING_PAGE_HTML"):  # for a look with a headless browser
            Path(os.environ["MATCHING_PAGE_HTML"]).write_text(page, encoding="utf-8")  # noqa: ASYNC240 - a debugging aid

        status, page, _ = await visitor.get("/dashboard/matching?kind=unmatched&city=天津")
        assert status == 200 and f'data-id="{COOK}"' in page and f'data-id="{PICKY}"' not in page

        async with visitor.http.get(
            system.base_url + "/dashboard/matching/export.xlsx?kind=unmatched&days=7"
        ) as response:
            assert response.status == 200
            sheet = load_workbook(io.BytesIO(await response.read())).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == UNMATCHED_HEADERS and len(rows) == 1 + 3

        status, page, _ = await visitor.get("/dashboard/matching?vacancy=tl-weld")
        assert "2 位求职者符合" in page and "138****5678" in page and "13812345678" not in page
        assert 'id="figures"' in page

        status, _, _ = await visitor.get("/dashboard/matching?kind=nope")
        assert status == 400
        status, _, _ = await visitor.get("/dashboard/matching?days=0")
        assert status == 400
    finally:
        await visitor.close()
