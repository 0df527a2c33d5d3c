"""The approvals API: the same workflow as the chat buttons, for admins with the token."""

from __future__ import annotations

import time

from bot.appkeys import APPROVALS
from jobfeed.models import VacancyStatus
from jobfeed.sources.ledger import FeedLedger
from tests.harness import ADMIN_ID
from tests.staff.conftest import RECRUITER_ID, Staff, texts_of
from tests.staff.scenario import draft


async def test_approvals_through_the_api_broadcast_notify_and_close(staff: Staff) -> None:
    matrix = await staff.groups(12)
    api = staff.system.api
    await staff.say(RECRUITER_ID, "/recruiter 草原铝业有限公司")  # opens their chat
    status, body = await api("POST", f"/api/recruiters/{RECRUITER_ID}/approve")
    assert status == 200 and body["changed"] and body["recruiter"]["status"] == "approved"
    assert (await api("POST", f"/api/recruiters/{RECRUITER_ID}/reject"))[1]["changed"] is False
    assert "认证已通过" in texts_of(staff.sim.messages_in(RECRUITER_ID))[-1]

    vacancy, _ = await staff.system.app[APPROVALS].submit(draft(), RECRUITER_ID)
    status, pending = await api("GET", "/api/approvals")
    assert status == 200 and [p["vacancy"]["id"] for p in pending["vacancies"]] == [vacancy.id]

    status, decided = await api("POST", f"/api/vacancies/{vacancy.id}/approve")
    assert status == 200 and decided["outcome"] == "done" and decided["broadcast_id"]
    assert decided["submission"]["decided_by"] == "api"
    again = (await api("POST", f"/api/vacancies/{vacancy.id}/approve"))[1]
    assert again["outcome"] == "already" and again["broadcast_id"] == decided["broadcast_id"]
    await staff.wait_broadcasts()
    groups = {g.chat_id for g in matrix}
    assert {m.chat_id for m in staff.sim.sent if m.chat_id < 0} == groups
    assert "已通过审核" in texts_of(staff.sim.messages_in(RECRUITER_ID))[-1]

    close = f"/api/vacancies/{vacancy.id}/close"
    status, closed = await api("POST", close, json={"withdraw": True})
    assert status == 200 and closed["outcome"] == "done"
    await staff.wait_broadcasts()
    assert {d.chat_id for d in staff.sim.deletes} == groups
    status, again = await api("POST", close, json={"withdraw": True})
    assert status == 200 and again["outcome"] == "already"  # nothing deleted twice
    assert len(staff.sim.deletes) == len(groups)

    status, revoked = await api("POST", f"/api/recruiters/{RECRUITER_ID}/revoke")
    assert status == 200 and revoked["recruiter"]["status"] == "revoked"
    assert "已被管理员撤销" in texts_of(staff.sim.messages_in(RECRUITER_ID))[-1]
    assert "只有认证的招聘方" in texts_of(await staff.say(RECRUITER_ID, "/post"))[0]


async def test_the_api_refuses_without_the_token_and_documents_its_routes(staff: Staff) -> None:
    api = staff.system.api
    for method, path in (
        ("GET", "/api/approvals"),
        ("POST", "/api/vacancies/R-00001/approve"),
        ("POST", f"/api/recruiters/{ADMIN_ID}/approve"),
        ("GET", "/api/stats"),
        ("GET", "/api/stats/search"),
    ):
        assert (await api(method, path, token=None))[0] == 401, path
        assert (await api(method, path, token="wrong"))[0] == 401, path
    assert (await api("POST", "/api/vacancies/R-99999/approve"))[0] == 404
    assert (await api("POST", "/api/vacancies/..%2F/approve"))[0] in (400, 404)
    assert (await api("GET", "/api/stats/deliveries?by=week"))[0] == 400
    _, document = await api("GET", "/openapi.json", token=None)
    for path in (
        "/api/approvals",
        "/api/vacancies/{vacancy_id}/approve",
        "/api/vacancies/{vacancy_id}/close",
        "/api/recruiters",
        "/api/stats",
        "/api/stats/search",
    ):
        assert path in document["paths"], path


async def test_admin_chat_commands_show_the_matrix_and_broadcast_progress(staff: Staff) -> None:
    matrix = await staff.groups(20)
    staff.sim.vanish(matrix[0].chat_id)
    vacancy, _ = await staff.system.app[APPROVALS].submit(draft(), RECRUITER_ID)
    await staff.system.app[APPROVALS].approve(vacancy.id, f"telegram:{ADMIN_ID}")
    await staff.wait_broadcasts()

    [groups] = texts_of(await staff.say(ADMIN_ID, "/groups"))
    assert "共 20 个 · 活跃 19 · 停用 1" in groups and "群不存在 1" in groups
    [inactive] = texts_of(await staff.say(ADMIN_ID, "/groups 状态=停用"))
    assert "共 1 个" in inactive
    city = matrix[1].city
    [by_city] = texts_of(await staff.say(ADMIN_ID, f"/groups 城市={city}"))
    assert f"共 {sum(g.city == city for g in matrix)} 个" in by_city
    [usage] = texts_of(await staff.say(ADMIN_ID, "/groups 颜色=红"))
    assert usage.startswith("用法")
    [progress] = texts_of(await staff.say(ADMIN_ID, "/broadcasts"))
    assert "20/20" in progress and "送达 19 · 失败 1" in progress


async def test_closing_a_feed_vacancy_hands_its_posts_to_the_feed_broadcasts(
    staff: Staff,
) -> None:
    services = staff.system.services
    vacancy = (
        draft()
        .to_vacancy("D-00001", 0)
        .model_copy(
            update={"status": VacancyStatus.active, "source": "website", "recruiter_id": None}
        )
    )
    await services.vacancies.save(vacancy)
    ledger = FeedLedger(services.redis, services.keys)
    await ledger.record_posts("website", "7", [vacancy.id])

    status, closed = await staff.system.api("POST", "/api/vacancies/D-00001/close", json={})

    assert status == 200 and closed["outcome"] == "done"
    assert await ledger.ended_due(time.time() + 1) == ["D-00001"]
    stored = await services.vacancies.get("D-00001")
    assert stored is not None and stored.status is VacancyStatus.closed
