"""Group care through the HTTP API: a group's settings, FAQ entries, the moderation log."""

from __future__ import annotations

from tests.harness import System

GROUP = -1001900000001


async def test_settings_faq_and_log_through_the_api(system: System) -> None:
    status, care = await system.api("GET", f"/api/groups/{GROUP}/care")
    assert status == 200 and care == {"welcome": True, "welcome_text": None, "policy": "mute"}
    status, care = await system.api(
        "PATCH", f"/api/groups/{GROUP}/care", json={"welcome": False, "policy": "ban"}
    )
    assert status == 200 and care["welcome"] is False and care["policy"] == "ban"
    status, _ = await system.api("PATCH", f"/api/groups/{GROUP}/care", json={"policy": "x"})
    assert status == 400

    status, entry = await system.api(
        "POST", "/api/faq", json={"questions": ["包吃住吗"], "answer": "包吃包住"}
    )
    assert status == 201 and entry["id"] == 1 and entry["group"] is None
    status, listed = await system.api("GET", "/api/faq")
    assert [e["answer"] for e in listed["entries"]] == ["包吃包住"]
    status, stats = await system.api("GET", "/api/stats/faq")
    assert stats["answered"] == 0 and stats["recent_unanswered"] == []
    assert (await system.api("DELETE", "/api/faq/1"))[0] == 200
    assert (await system.api("DELETE", "/api/faq/1"))[0] == 404

    status, log = await system.api("GET", "/api/moderation/log")
    assert status == 200 and log == {"total": 0, "entries": []}
