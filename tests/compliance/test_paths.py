"""Every path runs the post checker: feed import, the API (POST, PATCH), broadcasting,
the public pages; an admin's release is audited. On the running app with real Redis."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis

from bot.broadcasting import run_here
from bot.factories import make_importer
from handlers.posts import render_post
from jobfeed.keys import Keys
from jobfeed.models import Group, VacancyStatus, utcnow
from jobfeed.sources.jsonl import parse_jsonl
from jobfeed.sources.ledger import FeedLedger
from jobfeed.sources.normalise import SourceIdentity
from jobfeed.sources.snapshot import read_moved_to
from tests.conftest import redis_url
from tests.harness import System, running_system
from tests.sources.samples import SAMPLE

UNLAWFUL = Path(__file__).resolve().parents[2] / "samples" / "unlawful_vacancies.jsonl"
GROUP = -1002100000013
LICENCE = "（京）人服证字〔2026〕第0101000123号"
# The rows of samples/unlawful_vacancies.jsonl and the rules each must trip.
EXPECTED = {
    "U-01": {"gender"},
    "U-02": {"gender"},
    "U-03": {"hukou"},
    "U-04": {"fees"},
    "U-05": {"fees"},
    "U-06": {"guarantee"},
    "U-07": {"no_requirements"},
    "U-08": {"medical_fee"},
    "U-09": {"ethnicity"},
    "U-10": {"hukou"},
    "U-11": {"marital"},
    "U-12": {"fees"},
    "U-15": {"missing.duties", "missing.pay"},
}
LAWFUL = {"U-13": "ok", "U-14": "flagged"}


@pytest.fixture
async def system(keys: Keys, redis: Redis) -> AsyncIterator[System]:
    async with running_system(keys, redis_url(), hr_licence=LICENCE) as s:
        yield s


def body(vacancy_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "id": vacancy_id,
        "title": "仓库管理员",
        "employer": "草原物流有限公司",
        "city": "烟台",
        "province": "山东",
        "salary_min": 5000,
        "salary_max": 7000,
        "headcount": 2,
        "requirements": "会用电脑",
        "description": "负责出入库登记",
        "expires_at": "2099-12-11T08:00:00+00:00",
        **changes,
    }


async def text(system: System, path: str) -> tuple[int, str]:
    async with system.http.get(system.base_url + path) as response:
        return response.status, await response.text()


async def test_unlawful_feed_rows_are_held_on_import_and_kept_off_every_page(
    system: System,
) -> None:
    rows = read_moved_to(UNLAWFUL, utcnow()) + read_moved_to(SAMPLE, utcnow())[:30]
    lines = [json.dumps(row, ensure_ascii=False) + "\n" for row in rows]
    parts = system.services
    importer = make_importer(parts.settings, parts.vacancies, FeedLedger(parts.redis, parts.keys))
    report = await importer.run(parse_jsonl(lines, set()), SourceIdentity("草原人才网"))
    assert report.rejected == [] and report.imported == len(rows)
    assert sorted(report.held_ids) == sorted(EXPECTED)

    vacancies = {v.id: v for v in await system.services.vacancies.all()}
    for vacancy_id, rules in EXPECTED.items():
        vacancy = vacancies[vacancy_id]
        assert vacancy.status is VacancyStatus.held and vacancy.compliance is not None
        assert {f.rule for f in vacancy.compliance.findings} == rules, vacancy_id
    for vacancy_id, verdict in LAWFUL.items():
        vacancy = vacancies[vacancy_id]
        assert vacancy.status is VacancyStatus.active and vacancy.compliance is not None
        assert vacancy.compliance.status.value == verdict
    # The sample's own rows: flagged for age at most, never held.
    sample = [v for v in vacancies.values() if v.id.startswith("D-")]
    assert len(sample) == 30 and all(v.status is VacancyStatus.active for v in sample)

    status, listed = await system.api("GET", "/api/vacancies?status=held")
    assert status == 200 and listed["total"] == len(EXPECTED)
    assert all(v["compliance"]["status"] == "held" for v in listed["vacancies"])

    status, feed = await text(system, "/feed.xml")
    assert status == 200 and "U-13" in feed and LICENCE in feed and "转载自 草原人才网" in feed
    assert not any(f"/jobs/{vacancy_id}<" in feed for vacancy_id in EXPECTED)
    pages = [(await text(system, f"/jobs?page={page}"))[1] for page in (1, 2, 3)]
    assert any("/jobs/U-13" in page for page in pages)
    assert not any(f'/jobs/{i}"' in page for page in pages for i in EXPECTED)
    assert (await text(system, "/jobs/U-01"))[0] == 404
    status, page = await text(system, "/jobs/U-13")
    assert status == 200 and LICENCE in page and "转载自 草原人才网" in page

    status, refused = await system.api("POST", "/api/broadcasts", json={"vacancy_ids": ["U-04"]})
    assert status == 400 and "U-04" in refused["error"] and "fees" in refused["error"]
    assert refused["details"][0]["findings"][0]["span"] == "交押金500元"
    status, made = await system.api("POST", "/api/broadcasts", json={"vacancy_ids": ["U-13"]})
    assert status == 201
    broadcast = await system.services.broadcasts.get(str(made["id"]))
    assert broadcast is not None and broadcast.post is not None
    shown = await render_post(system.services.texts, broadcast.post, system.services.links)
    assert LICENCE in shown.html and "转载自 草原人才网" in shown.html
    # What a worker sends is what the groups see: the licence and the source are there too.
    system.sim.add_chat(GROUP, title="包头招工群")
    await system.services.groups.upsert(Group(chat_id=GROUP, title="包头招工群"))
    status, sent = await system.api("POST", "/api/broadcasts", json={"vacancy_ids": ["U-13"]})
    assert status == 201
    [done] = await run_here(system.crew(), [str(sent["id"])])
    assert done.delivered == 1
    [post] = system.sim.messages_in(GROUP)
    assert LICENCE in post.text and "转载自 草原人才网" in post.text


async def test_api_answers_the_verdict_a_fix_passes_and_a_release_is_audited(
    system: System,
) -> None:
    status, created = await system.api("POST", "/api/vacancies", json=body("A-1"))
    assert status == 201 and created["status"] == "active"
    assert created["compliance"] == {"status": "ok", "findings": [], "override": None}

    status, flagged = await system.api(
        "POST", "/api/vacancies", json=body("A-2", requirements="18-45岁，会用电脑")
    )
    assert status == 201 and flagged["status"] == "active"
    assert flagged["compliance"]["status"] == "flagged"
    assert [f["span"] for f in flagged["compliance"]["findings"]] == ["18-45岁"]

    unlawful = body("A-3", requirements="女性优先，报名费200元")
    del unlawful["headcount"]
    status, held = await system.api("POST", "/api/vacancies", json=unlawful)
    assert status == 201 and held["status"] == "held"
    findings = held["compliance"]["findings"]
    assert {(f["rule"], f["span"]) for f in findings} == {
        ("missing.headcount", ""),
        ("gender", "女性优先"),
        ("fees", "报名费200元"),
    }
    assert all(f["suggestion"] and f["law"] for f in findings)
    status, refused = await system.api("POST", "/api/broadcasts", json={"vacancy_ids": ["A-3"]})
    assert status == 400 and "gender" in refused["error"] and "fees" in refused["error"]

    # The recruiter fixes it: the same findings no longer hold it.
    status, fixed = await system.api(
        "PATCH",
        "/api/vacancies/A-3",
        json={"requirements": "男女不限，不收取任何费用", "headcount": 3},
    )
    assert status == 200 and fixed["status"] == "active"
    assert fixed["compliance"]["status"] == "ok" and fixed["title"] == "仓库管理员"
    status, edited = await system.api("PATCH", "/api/vacancies/A-3", json={"title": "限男性"})
    assert status == 200 and edited["status"] == "held"  # an edit is checked too
    assert (await system.api("PATCH", "/api/vacancies/nope", json={}))[0] == 404
    status, conflict = await system.api("PATCH", "/api/vacancies/A-1", json={"salary_min": 9000})
    assert status == 409 and conflict["details"][0]["loc"] == ["salary_max"]  # 7000 stored

    # An admin lets a held one through, with a reason; the audit log keeps it.
    status, _ = await system.api("POST", "/api/vacancies", json=body("A-4", title="限本地户口"))
    assert status == 201
    status, released = await system.api(
        "POST",
        "/api/vacancies/A-4/release",
        json={"reason": "岗位为社区网格员，依地方政策须本地户籍", "by": "web:zhang"},
    )
    assert status == 200 and released["status"] == "active"
    assert released["compliance"]["override"]["reason"].startswith("岗位为社区网格员")
    status, audit = await system.api("GET", "/api/audit")
    assert status == 200 and audit["total"] == 1
    [entry] = audit["entries"]
    assert (entry["action"], entry["vacancy_id"], entry["actor"]) == (
        "compliance.release",
        "A-4",
        "api:web:zhang",
    )
    assert entry["reason"].startswith("岗位为社区网格员")
    assert [f["rule"] for f in entry["findings"]] == ["hukou"]
    status, _ = await system.api("POST", "/api/broadcasts", json={"vacancy_ids": ["A-4"]})
    assert status == 201
    # The override holds while the findings stay the same (an unrelated edit).
    status, again = await system.api("PATCH", "/api/vacancies/A-4", json={"headcount": 5})
    assert status == 200 and again["status"] == "active"

    assert (await system.api("POST", "/api/vacancies/A-1/release", json={"reason": "x"}))[0] == 409
    assert (await system.api("POST", "/api/vacancies/nope/release", json={"reason": "x"}))[
        0
    ] == 404
    assert (await system.api("POST", "/api/vacancies/A-3/release", json={"reason": " "}))[0] == 400
