"""Telling people about decisions taken outside the chat (the API, the dashboard): the
same words as the chat buttons, Telegram's flood control waited out, and a person who
cannot be reached logged without saying who they are."""

from __future__ import annotations

import logging

import pytest

from tests.staff.conftest import RECRUITER_ID, Staff, texts_of


async def test_a_decision_through_the_api_waits_out_flood_control(staff: Staff) -> None:
    await staff.say(RECRUITER_ID, "/recruiter 草原铝业有限公司")  # opens their chat
    staff.sim.faults.retry_after_storm(1, retry_after=1, methods={"sendMessage"})
    status, body = await staff.system.api("POST", f"/api/recruiters/{RECRUITER_ID}/approve")
    assert status == 200 and body["changed"]
    assert "认证已通过" in texts_of(staff.sim.messages_in(RECRUITER_ID))[-1]


async def test_a_person_who_cannot_be_told_is_logged_without_their_id(
    staff: Staff, caplog: pytest.LogCaptureFixture
) -> None:
    await staff.say(RECRUITER_ID, "/recruiter 草原铝业有限公司")
    staff.sim.block(RECRUITER_ID)
    caplog.set_level(logging.INFO)
    status, body = await staff.system.api("POST", f"/api/recruiters/{RECRUITER_ID}/approve")
    assert status == 200 and body["changed"]
    told = [r.getMessage() for r in caplog.records if "blocked" in r.getMessage()]
    assert told and not any(str(RECRUITER_ID) in line for line in told)
