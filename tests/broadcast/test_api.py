"""The HTTP API of broadcasts, the in-process runner the demo uses, and the adapter the
approval workflow announces and retracts vacancies through."""

from __future__ import annotations

from typing import Any

from bot.broadcasting import TelegramBroadcaster, run_here
from jobfeed.broadcast.models import Target
from jobfeed.models import Group, VacancyStatus
from tests.broadcast.conftest import sample_groups, sample_vacancies
from tests.harness import System

PATHS = (
    "/api/broadcasts",
    "/api/broadcasts/preview",
    "/api/broadcasts/{broadcast_id}",
    "/api/broadcasts/{broadcast_id}/groups",
    "/api/broadcasts/{broadcast_id}/pause",
    "/api/broadcasts/{broadcast_id}/resume",
    "/api/broadcasts/{broadcast_id}/cancel",
    "/api/broadcasts/{broadcast_id}/edit",
    "/api/broadcasts/{broadcast_id}/withdraw",
)


async def matrix(system: System, n: int) -> list[Group]:
    groups = sample_groups(n)
    for group in groups:
        system.sim.add_chat(group.chat_id, title=group.title)
    await system.services.groups.upsert_many(groups)
    await system.services.vacancies.save_many(sample_vacancies(3))
    return groups


async def test_create_follow_control_and_withdraw_a_broadcast(system: System) -> None:
    groups = await matrix(system, 60)
    province = groups[0].province
    expected = [g.chat_id for g in groups if g.province == province]
    target: dict[str, Any] = {"province": [province]}
    [vacancy] = sample_vacancies(1)

    status, preview = await system.api("POST", "/api/broadcasts/preview", json={"target": target})
    assert status == 200 and preview["targeted"] == len(expected)
    status, created = await system.api(
        "POST", "/api/broadcasts", json={"vacancy_ids": [vacancy.id], "target": target}
    )
    assert status == 201, created
    assert (created["targeted"], created["pending"], created["status"]) == (
        len(expected),
        len(expected),
        "running",
    )
    path = f"/api/broadcasts/{created['id']}"
    assert (await system.api("POST", path + "/pause"))[1]["status"] == "paused"
    status, again = await system.api("POST", path + "/pause")
    assert status == 409 and "paused" in again["error"]
    assert (await system.api("POST", path + "/resume"))[1]["status"] == "running"

    await run_here(system.crew(), [created["id"]], workers=2)

    status, done = await system.api("GET", path)
    assert status == 200 and done["status"] == "done"
    assert done["delivered"] == len(expected) and done["pending"] == 0
    assert done["started_at"] and done["finished_at"]
    assert sorted(m.chat_id for m in system.sim.sent) == sorted(expected)
    status, outcomes = await system.api("GET", path + "/groups?state=delivered&limit=5")
    assert outcomes["total"] == len(expected) and len(outcomes["groups"]) == 5
    status, listing = await system.api("GET", "/api/broadcasts")
    assert listing["total"] == 1 and listing["broadcasts"][0]["id"] == created["id"]
    assert (await system.api("POST", path + "/cancel"))[0] == 409  # it is done

    status, withdrawal = await system.api("POST", path + "/withdraw")
    assert status == 201 and withdrawal["action"] == "delete"
    assert withdrawal["parent_id"] == created["id"]
    await run_here(system.crew(), [withdrawal["id"]])
    assert all(system.sim.messages_in(chat) == [] for chat in expected)


async def test_bad_requests_get_precise_answers(system: System) -> None:
    await matrix(system, 5)
    cases = [
        ({"vacancy_ids": ["NOPE-1"]}, 404, "no such vacancy: NOPE-1"),
        ({"vacancy_ids": []}, 400, "invalid input"),
        ({"vacancy_ids": ["D-00000"], "target": {"town": ["x"]}}, 400, "invalid input"),
        ({"vacancy_ids": ["D-00000", "D-00000"]}, 400, "named twice"),
        ({"vacancy_ids": ["D-00000"], "scheduled_at": "2026-11-24T09:00"}, 400, "invalid input"),
    ]
    for body, status, message in cases:
        got, answer = await system.api("POST", "/api/broadcasts", json=body)
        assert (got, message in answer["error"]) == (status, True), answer
    await system.services.vacancies.set_status("D-00001", VacancyStatus.closed)
    got, answer = await system.api("POST", "/api/broadcasts", json={"vacancy_ids": ["D-00001"]})
    assert got == 409 and "not open" in answer["error"]
    for path in ("/api/broadcasts/42", "/api/broadcasts/x'1", "/api/broadcasts/42/groups"):
        assert (await system.api("GET", path))[0] == 404
    assert (await system.api("POST", "/api/broadcasts/42/pause"))[0] == 404
    assert (await system.api("GET", "/api/broadcasts", token=None))[0] == 401
    assert system.sim.sent == []


async def test_every_operation_is_in_openapi(system: System) -> None:
    status, document = await system.api("GET", "/openapi.json")
    assert status == 200
    assert set(PATHS) <= set(document["paths"])
    assert "Progress" in str(document["paths"]["/api/broadcasts/{broadcast_id}"])


async def test_the_approval_workflow_announces_once_and_retracts(system: System) -> None:
    groups = await matrix(system, 20)
    [vacancy] = sample_vacancies(1)
    broadcaster = TelegramBroadcaster(system.services.planner, system.services.broadcasts)

    first = await broadcaster.announce(vacancy, Target())
    assert await broadcaster.announce(vacancy, Target()) == first  # a replayed approval
    await run_here(system.crew(), [first])
    closed = vacancy.model_copy(update={"status": VacancyStatus.closed})
    await system.services.vacancies.save(closed)

    edit = await broadcaster.retract(first, closed, withdraw=False)

    assert edit is not None
    assert await broadcaster.retract(first, closed, withdraw=False) == edit
    [done] = await run_here(system.crew(), [edit])
    assert done.delivered == len(groups)
    assert all("已招满" in (system.sim.messages_in(g.chat_id)[0].text or "") for g in groups)


async def test_a_retry_with_its_key_gets_the_original_broadcast_after_the_vacancy_closed(
    system: System,
) -> None:
    await matrix(system, 10)
    [vacancy] = sample_vacancies(1)
    request = {"vacancy_ids": [vacancy.id], "key": "announce:retry"}
    status, created = await system.api("POST", "/api/broadcasts", json=request)
    assert status == 201, created
    vacancy.status = VacancyStatus.closed
    await system.services.vacancies.save(vacancy)

    # The client lost the first answer and retries: the broadcast it made, not a 409.
    status, again = await system.api("POST", "/api/broadcasts", json=request)
    assert (status, again["id"]) == (201, created["id"]), again
    # A new request for the closed vacancy is still refused.
    status, refused = await system.api(
        "POST", "/api/broadcasts", json={"vacancy_ids": [vacancy.id], "key": "announce:other"}
    )
    assert status == 409, refused
    assert (await system.services.broadcasts.recent(0, 10))[0] == 1
