"""``GET /api/search``: the bot's search over HTTP, with the index following the API's writes."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

from tests.harness import System

TOMORROW = "2099-12-11T08:00:00+00:00"


def vacancy(vacancy_id: str, title: str, city: str, province: str, top: int) -> dict[str, Any]:
    return {
        "id": vacancy_id,
        "title": title,
        "employer": "测试用工单位",
        "city": city,
        "province": province,
        "salary_min": top - 2000,
        "salary_max": top,
        "headcount": 2,  # the post checker holds a post without headcount, requirements
        "requirements": "身体健康",  # or duties (jobfeed.compliance)
        "description": f"{title}岗位",
        "posted_at": "2026-11-15T02:00:00+00:00",
        "expires_at": TOMORROW,
    }


async def search(system: System, query: str) -> tuple[int, Any]:
    return await system.api("GET", "/api/search?" + query)


async def created(system: System, *vacancies: dict[str, Any]) -> None:
    for body in vacancies:
        assert (await system.api("POST", "/api/vacancies", json=body))[0] == 201
    wanted = {v["id"] for v in vacancies}
    for _ in range(250):  # the index follows the change channel
        if wanted <= system.services.search.index.ids():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the search index did not follow")


async def test_returns_ids_titles_and_scores_best_first(system: System) -> None:
    await created(
        system,
        vacancy("W-1", "电焊工", "天津", "天津", 9000),
        vacancy("W-2", "氩弧焊工", "包头", "内蒙古", 8000),
        vacancy("G-1", "保安", "天津", "天津", 5000),
    )
    status, body = await search(system, "q=" + quote("天津招电焊工吗"))
    assert status == 200
    assert body["hits"][0] == {
        "id": "W-1",
        "title": "电焊工",
        "city": "天津",
        "score": 100.0,
        "matched": {"trade": "电焊工", "place": "天津", "wishes": [], "tolerances": []},
    }
    assert "G-1" not in [h["id"] for h in body["hits"]]
    assert body["place"] == "天津" and body["in_place"] is True

    status, body = await search(system, "q=dianhangong&limit=1")
    assert status == 200 and [h["id"] for h in body["hits"]] == ["W-1"] and body["total"] >= 1
    status, body = await search(system, "q=" + quote("焊工") + "&city=" + quote("包头"))
    assert body["hits"][0]["id"] == "W-2"
    status, body = await search(system, "q=" + quote("焊工") + "&min_pay=8500")
    assert [h["id"] for h in body["hits"]] == ["W-1"]
    status, body = await search(system, "q=" + quote("有没有宇航员的工作"))
    assert (status, body["hits"], body["total"]) == (200, [], 0)


async def test_each_hit_says_why_it_matched(system: System) -> None:
    lodged = vacancy("W-3", "电焊工", "天津", "天津", 9000) | {"benefits": ["包吃包住"]}
    await created(system, lodged, vacancy("W-4", "电焊工", "天津", "天津", 7500))
    status, body = await search(system, "q=" + quote("包吃住的电悍工 8000以上"))
    assert status == 200
    first = body["hits"][0]
    assert first["id"] == "W-3"
    assert first["matched"] == {
        "trade": "电焊工",
        "place": None,
        "wishes": ["8000以上", "包吃住"],
        "tolerances": ["同音"],
    }
    assert body["unmet"] == [] and body["best_pay"] is None
    status, body = await search(system, "q=" + quote("电焊工 一万以上"))
    assert body["unmet"] == ["10000以上"] and body["best_pay"] == 9000
    assert body["hits"] and body["hits"][0]["matched"]["wishes"] == []


async def test_bad_parameters_are_a_400_with_details(system: System) -> None:
    for query, field in [
        ("", "q"),
        ("q=%20%20", "q"),
        ("q=x&limit=0", "limit"),
        ("q=x&limit=101", "limit"),
        ("q=x&limit=ten", "limit"),
        ("q=x&offset=-1", "offset"),
        ("q=" + "焊" * 201, "q"),
        ("q=x&min_pay=-5", "min_pay"),
    ]:
        status, body = await search(system, query)
        assert status == 400, query
        assert body["details"][0]["loc"] == [field], query


async def test_needs_the_token_and_is_in_openapi(system: System) -> None:
    status, body = await system.api("GET", "/api/search?q=x", token=None)
    assert status == 401
    status, body = await system.api("GET", "/openapi.json", token=None)
    operation = body["paths"]["/api/search"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "limit", "city"}
