"""Dashboard pages over HTTP: the numbers they show, approvals, tags, CSV, masked phones."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator

import pytest

from bot.appkeys import APPROVALS
from tests.staff.conftest import RECRUITER_ID, Staff
from tests.staff.dashboard import Visitor
from tests.staff.scenario import APPLICANTS, KICKED, VANISHED, broadcast_day, draft


@pytest.fixture
async def visitor(staff: Staff) -> AsyncIterator[Visitor]:
    visitor = Visitor(staff.system.base_url)
    assert await visitor.sign_in() == 303
    yield visitor
    await visitor.close()


def count(page: str, name: str, attribute: str = "data-count") -> int:
    found = re.search(rf'{attribute}="{name}"[^>]*>(\d+)<', page)
    assert found, f"no {attribute}={name} on the page"
    return int(found.group(1))


async def test_every_page_renders_for_a_signed_in_admin(staff: Staff, visitor: Visitor) -> None:
    await broadcast_day(staff, groups=20)
    for path in (
        "/dashboard/",
        "/dashboard/broadcasts",
        "/dashboard/broadcasts/1",
        "/dashboard/groups?kind=recruitment&active=1",
        "/dashboard/vacancies?status=active",
        "/dashboard/recruiters",
        "/dashboard/search?days=30",
        "/dashboard/applications",
    ):
        status, page, _ = await visitor.get(path)
        assert status == 200, path
        assert "<script" not in page, path
        if path.startswith("/dashboard/vacancies"):  # each open vacancy's poster
            assert re.search(r'href="/jobs/[\w-]+/poster\.png"', page), page
    status, _, _ = await visitor.get("/dashboard/broadcasts/999")
    assert status == 404
    status, _, _ = await visitor.get("/dashboard/broadcasts/x';--")
    assert status == 404


async def test_a_broadcast_page_shows_the_same_counts_as_the_api(
    staff: Staff, visitor: Visitor
) -> None:
    recorded = await broadcast_day(staff)
    _, api = await staff.system.api("GET", "/api/broadcasts/1")

    _, page, _ = await visitor.get("/dashboard/broadcasts/1")

    assert count(page, "targeted") == api["targeted"] == recorded.targeted
    assert count(page, "delivered") == api["delivered"] == recorded.delivered
    assert count(page, "failed") == sum(api["failed"].values()) == VANISHED + KICKED
    assert count(page, "pending") == api["pending"] == 0
    assert page.count('data-state="delivered"') == recorded.delivered

    _, failed_only, _ = await visitor.get("/dashboard/broadcasts/1?state=failed&reason=forbidden")
    assert failed_only.count("<tr data-state=") == KICKED

    status, body, response = await visitor.get("/dashboard/broadcasts/1/outcomes.csv")
    assert status == 200 and response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == recorded.targeted
    assert sum(r["state"] == "delivered" for r in rows) == recorded.delivered
    assert {r["reason"] for r in rows if r["state"] == "failed"} == {"chat_not_found", "forbidden"}


async def test_the_overview_shows_todays_figures_and_charts(
    staff: Staff, visitor: Visitor
) -> None:
    recorded = await broadcast_day(staff)
    _, page, _ = await visitor.get("/dashboard/")
    today = page.partition('id="stats-today"')[2]
    assert count(today, "delivered", "data-stat") == recorded.delivered
    assert count(today, "applications", "data-stat") == APPLICANTS
    card = re.search(r'data-stat="applications">.*?</div>', today, re.S)
    assert card is not None  # the applications card names each source
    assert f'<i data-source="telegram">Telegram {APPLICANTS}</i>' in card.group(0)
    for chart in ("hourly", "daily", "outcomes", "funnel"):
        assert f'id="chart-{chart}"' in page
    hourly = re.search(r'id="chart-hourly" data-total="(\d+)"', page)
    assert hourly and int(hourly.group(1)) == recorded.delivered


async def test_approving_on_the_dashboard_starts_the_broadcast(
    staff: Staff, visitor: Visitor
) -> None:
    matrix = await staff.groups(10)
    vacancy, _ = await staff.system.app[APPROVALS].submit(draft(), RECRUITER_ID)
    _, page, _ = await visitor.get("/dashboard/vacancies?status=pending")
    assert f"/dashboard/vacancies/{vacancy.id}/approve" in page

    status, _, response = await visitor.post(f"/dashboard/vacancies/{vacancy.id}/approve", {})
    assert status == 303 and "notice=approve_done" in response.headers["Location"]
    await staff.wait_broadcasts()

    assert {m.chat_id for m in staff.sim.sent if m.chat_id < 0} == {g.chat_id for g in matrix}
    submission = await staff.system.services.submissions.get(vacancy.id)
    assert submission is not None and submission.decided_by == "web:token"
    # The second press (a resubmitted form) changes nothing.
    status, _, response = await visitor.post(f"/dashboard/vacancies/{vacancy.id}/approve", {})
    assert "notice=approve_already" in response.headers["Location"]
    total, _ = await staff.system.services.broadcasts.recent()
    assert total == 1


async def test_tags_edited_on_the_dashboard_are_what_the_api_returns(
    staff: Staff, visitor: Visitor
) -> None:
    [group] = await staff.groups(1)
    back = "/dashboard/groups?active=1"
    status, _, response = await visitor.post(
        f"/dashboard/groups/{group.chat_id}/tags",
        {
            "kind": "community",
            "city": "天津",
            "province": "天津",
            "industries": "铝业，建筑",
            "back": back,
        },
    )
    assert status == 303 and response.headers["Location"] == back + "&notice=tagged"
    _, api = await staff.system.api("GET", f"/api/groups/{group.chat_id}")
    assert (api["kind"], api["city"], api["industries"]) == ("community", "天津", ["铝业", "建筑"])
    status, _, response = await visitor.post(
        f"/dashboard/groups/{group.chat_id}/tags", {"kind": "nonsense", "back": "//evil.example"}
    )
    assert response.headers["Location"] == "/dashboard/?notice=tags_invalid"


async def test_applications_are_listed_with_masked_phones_and_the_view_is_logged(
    staff: Staff, visitor: Visitor
) -> None:
    await broadcast_day(staff, groups=5)
    _, page, _ = await visitor.get("/dashboard/applications")
    phones = re.findall(r'<td class="phone">([^<]+)</td>', page)
    assert len(phones) == APPLICANTS
    assert all(re.fullmatch(r"138\*{4}\d{4}", phone) for phone in phones)
    assert not re.search(r"1381234\d{4}", page)
    log = await staff.system.services.applications.access_log(limit=100)
    assert {record.actor for record in log} >= {"web:token"}
