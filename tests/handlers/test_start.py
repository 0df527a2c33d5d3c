"""A bare /start greets and explains; /help lists commands, the admin ones only to admins."""

from __future__ import annotations

from tests.harness import ADMIN_ID, System

SEEKER = 730001


async def test_bare_start_greets_and_help_depends_on_role(system: System) -> None:
    system.sim.add_user(SEEKER, "<b>小王</b>")
    system.sim.user_message(SEEKER, SEEKER, "/start")
    system.sim.user_message(SEEKER, SEEKER, "/help")
    system.sim.add_user(ADMIN_ID, "管理员")
    system.sim.user_message(ADMIN_ID, ADMIN_ID, "/help")
    await system.settle()

    welcome, seeker_help = (m.text or "" for m in system.sim.messages_in(SEEKER))
    assert "&lt;b&gt;小王&lt;/b&gt;" in welcome  # a user's name is escaped, not markup
    assert "天津 电焊工" in welcome and "/forget" in welcome
    assert "/jobs" in seeker_help and "/stats" not in seeker_help
    (admin_help,) = (m.text or "" for m in system.sim.messages_in(ADMIN_ID))
    assert "/stats" in admin_help and "/tag" in admin_help


async def test_start_with_a_payload_is_left_to_its_feature(system: System) -> None:
    system.sim.add_user(SEEKER, "小王")
    system.sim.user_message(SEEKER, SEEKER, "/start apply_NOPE-1")
    await system.settle()
    replies = [m.text or "" for m in system.sim.messages_in(SEEKER)]
    assert len(replies) == 1 and "天津 电焊工" not in replies[0]  # the résumé feature answered
