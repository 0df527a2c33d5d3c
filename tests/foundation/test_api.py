"""The HTTP API: bearer token, JSON errors for bad input, OpenAPI that matches the routes."""

from __future__ import annotations

from typing import Any

from tests.harness import System

VACANCY: dict[str, Any] = {
    "id": "T-1",
    "title": "电焊工",
    "employer": "包头铝业有限公司",
    "city": "包头",
    "province": "内蒙古",
    "salary_min": 6000,
    "salary_max": 9000,
    "salary_unit": "month",
    "headcount": 5,
    "posted_at": "2026-11-15T02:00:00+00:00",
    "expires_at": "2099-12-11T08:00:00+00:00",
}


async def test_api_refuses_missing_or_wrong_token(system: System) -> None:
    assert (await system.api("GET", "/api/groups", token=None))[0] == 401
    assert (await system.api("GET", "/api/groups", token="wrong"))[0] == 401
    status, body = await system.api("GET", "/api/vacancies", token=None)
    assert status == 401 and "token" in body["error"]
    assert (await system.api("GET", "/api/groups"))[0] == 200


async def test_health_is_public_and_checks_redis(system: System) -> None:
    status, body = await system.api("GET", "/healthz", token=None)
    assert (status, body) == (200, {"status": "ok"})


async def test_vacancy_round_trip_and_validation_details(system: System) -> None:
    status, body = await system.api("POST", "/api/vacancies", json=VACANCY)
    assert status == 201 and body["id"] == "T-1"
    status, body = await system.api("GET", "/api/vacancies/T-1")
    assert status == 200 and body["title"] == "电焊工" and body["salary_max"] == 9000
    assert (await system.api("GET", "/api/vacancies/nope"))[0] == 404

    bad = VACANCY | {"salary_min": 9000, "salary_max": 100, "headcount": 0}
    status, body = await system.api("POST", "/api/vacancies", json=bad)
    assert status == 400
    fields = {tuple(d["loc"]) for d in body["details"]}
    assert ("headcount",) in fields and ("salary_max",) in fields

    status, body = await system.api("POST", "/api/vacancies", data=b"{not json")
    assert status == 400 and "JSON" in body["error"]
    status, body = await system.api("GET", "/api/vacancies?limit=100000")
    assert status == 400 and body["details"][0]["loc"] == ["limit"]


async def test_groups_filter_and_tag(system: System) -> None:
    system.sim.bot_added(-1001, by_user_id=1, title="天津焊工群")
    system.sim.bot_added(-1002, by_user_id=1, title="烟台家政群")
    await system.settle()
    status, body = await system.api(
        "PATCH", "/api/groups/-1001", json={"city": "天津", "kind": "recruitment"}
    )
    assert status == 200 and body["city"] == "天津"
    status, body = await system.api("GET", "/api/groups?city=天津")
    assert status == 200 and [g["chat_id"] for g in body["groups"]] == [-1001]
    status, body = await system.api("GET", "/api/groups?kind=community")
    assert [g["chat_id"] for g in body["groups"]] == [-1002]

    status, body = await system.api("PATCH", "/api/groups/-1001", json={"kind": "factory"})
    assert status == 400 and body["details"][0]["loc"] == ["kind"]
    assert (await system.api("PATCH", "/api/groups/-1001", json={"colour": "red"}))[0] == 400
    assert (await system.api("PATCH", "/api/groups/-999", json={"city": "天津"}))[0] == 404
    assert (await system.api("PATCH", "/api/groups/abc", json={"city": "天津"}))[0] == 400


async def test_openapi_documents_every_route(system: System) -> None:
    status, doc = await system.api("GET", "/openapi.json", token=None)
    assert status == 200 and doc["openapi"].startswith("3.")
    documented = {(method.upper(), path) for path, ops in doc["paths"].items() for method in ops}
    served = set()
    for route in system.app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter")
        if route.method in {"HEAD", "*"} or not path:
            continue
        if path.startswith(("/api/", "/healthz", "/readyz", "/openapi.json")):
            served.add((route.method, path))
    assert served and served == documented
    create = doc["paths"]["/api/vacancies"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/VacancyInput"
    )


async def test_a_vacancy_body_is_taken_as_its_schema_says(system: System) -> None:
    # A number is not a timestamp, nor text; blank text is refused where text is needed.
    for field, value in (
        ("updated_at", 1_700_000_000),
        ("posted_at", "2026-11-15T02:00:00"),  # no offset
        ("salary_min", 6000.5),
        ("salary_min", "6000"),
        ("headcount", True),
        ("title", 7),
        ("title", " \u3000\t"),
        ("screening", [{"text": "能上夜班吗", "choices": ["能", "  "]}]),
        ("benefits", ["\x1c"]),  # whitespace to str.strip
        ("contact_phone", "call 123"),
    ):
        status, body = await system.api("POST", "/api/vacancies", json=VACANCY | {field: value})
        assert status == 400, (field, value, body)
        assert body["details"][0]["loc"][0] == field, (field, body)
    padded = VACANCY | {"id": "T-2", "title": "  电焊工 ", "contact_phone": "139-1234-5678"}
    status, body = await system.api("POST", "/api/vacancies", json=padded)
    assert (status, body["title"]) == (201, "电焊工"), body
    # JSON Schema's integer includes 6000.0 (schemathesis sends it): taken as 6000.
    whole = VACANCY | {"id": "T-3", "salary_min": 6000.0}
    status, body = await system.api("POST", "/api/vacancies", json=whole)
    assert (status, body["salary_min"]) == (201, 6000), body
    status, doc = await system.api("GET", "/openapi.json", token=None)
    schema = doc["components"]["schemas"]["VacancyInput"]["properties"]
    assert schema["title"]["pattern"] == r"\S" and schema["title"]["minLength"] == 1
