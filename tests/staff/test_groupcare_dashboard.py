"""A group's welcome and moderation policy set on the dashboard, read through the API."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.staff.conftest import Staff
from tests.staff.dashboard import Visitor


@pytest.fixture
async def visitor(staff: Staff) -> AsyncIterator[Visitor]:
    visitor = Visitor(staff.system.base_url)
    assert await visitor.sign_in() == 303
    yield visitor
    await visitor.close()


async def test_welcome_and_policy_edited_on_the_dashboard(staff: Staff, visitor: Visitor) -> None:
    [group] = await staff.groups(1)
    status, page, _ = await visitor.get("/dashboard/groups")
    assert status == 200 and f"/groups/{group.chat_id}/care" in page
    back = "/dashboard/groups?active=1"
    status, _, response = await visitor.post(
        f"/dashboard/groups/{group.chat_id}/care",
        {"welcome_text": "本群只发铝厂岗位", "policy": "ban", "back": back},
    )
    assert status == 303 and response.headers["Location"] == back + "&notice=care_saved"
    _, care = await staff.system.api("GET", f"/api/groups/{group.chat_id}/care")
    assert care == {"welcome": False, "welcome_text": "本群只发铝厂岗位", "policy": "ban"}
    _, _, response = await visitor.post(
        f"/dashboard/groups/{group.chat_id}/care", {"policy": "nonsense", "back": back}
    )
    assert response.headers["Location"] == back + "&notice=care_invalid"
