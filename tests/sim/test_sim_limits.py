"""Flood limits, membership errors and injected faults as aiogram sees them."""

from __future__ import annotations

import asyncio

import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)

from devkit.telegram import TelegramSimulator

from .conftest import GROUP, USER


async def test_group_limit_gives_retry_after(bot: Bot, sim: TelegramSimulator) -> None:
    for n in range(20):
        await bot.send_message(GROUP, f"职位 {n}")
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(GROUP, "one too many")
    # 60 simulated seconds at speed 50 are 1.2 real seconds
    assert caught.value.retry_after == 2
    assert sim.count_429 == 1
    assert len(sim.sent) == 20
    assert sim.max_per_chat_per_minute() == 20


@pytest.mark.parametrize(("speed", "retry_after"), [(1, 60), (60, 1)])
async def test_speed_scales_the_limits(speed: float, retry_after: int) -> None:
    async with TelegramSimulator(speed=speed) as sim:
        sim.add_chat(GROUP)
        bot = sim.make_bot()
        try:
            for _ in range(20):
                await bot.send_message(GROUP, "x")
            with pytest.raises(TelegramRetryAfter) as caught:
                await bot.send_message(GROUP, "x")
            assert caught.value.retry_after == retry_after
            if speed == 60:
                # A real second is a simulated minute (speed 600 made that a tenth of a
                # second: too short for 20 sends on a loaded machine).
                await asyncio.sleep(1.05)
                await bot.send_message(GROUP, "x")
                assert len(sim.sent) == 21
        finally:
            await bot.session.close()


async def test_overall_limit_is_30_per_second_across_chats() -> None:
    async with TelegramSimulator(speed=1) as sim:
        bot = sim.make_bot()
        try:
            for user_id in range(1, 32):
                sim.add_user(user_id)
            for user_id in range(1, 31):
                await bot.send_message(user_id, "hi")
            with pytest.raises(TelegramRetryAfter):
                await bot.send_message(31, "hi")
        finally:
            await bot.session.close()
        assert sim.max_rate_observed(1.0) == 30


async def test_private_chat_allows_a_burst_of_three(bot: Bot, sim: TelegramSimulator) -> None:
    for _ in range(3):
        await bot.send_message(USER, "hi")
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(USER, "hi")
    sim.advance(3.0)
    await bot.send_message(USER, "hi again")
    assert sim.max_per_chat(3.0) == 3


async def test_limits_are_per_token(bot: Bot, sim: TelegramSimulator) -> None:
    other = sim.make_bot("99:" + "B" * 35)
    try:
        for _ in range(20):
            await bot.send_message(GROUP, "a")
        await other.send_message(GROUP, "b")
    finally:
        await other.session.close()
    assert sim.sent[-1].token.startswith("99:")


@pytest.mark.parametrize("knob", ["speed", "flag"])
async def test_limits_can_be_lifted(knob: str) -> None:
    speed, enabled = (0.0, True) if knob == "speed" else (1.0, False)
    async with TelegramSimulator(speed=speed, limits_enabled=enabled) as sim:
        sim.add_chat(GROUP)
        bot = sim.make_bot()
        try:
            await asyncio.gather(*(bot.send_message(GROUP, str(n)) for n in range(100)))
        finally:
            await bot.session.close()
        assert len(sim.sent) == 100
        assert sim.max_per_chat_per_minute() == 100
        assert sim.count_429 == 0


async def test_forbidden_after_removal_and_block(bot: Bot, sim: TelegramSimulator) -> None:
    sim.bot_removed(GROUP)
    with pytest.raises(TelegramForbiddenError, match="bot was kicked from the supergroup chat"):
        await bot.send_message(GROUP, "hi")
    sim.block(USER)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(USER, "hi")
    updates = await bot.get_updates()
    changes = [u.my_chat_member for u in updates if u.my_chat_member]
    assert [(c.chat.id, c.new_chat_member.status) for c in changes] == [
        (GROUP, "kicked"),
        (USER, "kicked"),
    ]
    sim.user_message(USER, USER, "/start")  # writing to the bot again unblocks it
    await bot.send_message(USER, "欢迎回来")


async def test_bot_added_then_usable(bot: Bot, sim: TelegramSimulator) -> None:
    update = sim.bot_added(-1005, by_user_id=USER, title="新群")
    assert update["my_chat_member"]["new_chat_member"]["status"] == "member"
    [received] = await bot.get_updates()
    assert received.my_chat_member is not None
    assert received.my_chat_member.chat.title == "新群"
    await bot.send_message(-1005, "大家好")


async def test_migration_points_to_the_supergroup(bot: Bot, sim: TelegramSimulator) -> None:
    sim.add_chat(-555, type="group", title="老群")
    sim.migrate(-555, -1005550000)
    with pytest.raises(TelegramMigrateToChat) as caught:
        await bot.send_message(-555, "hi")
    assert caught.value.migrate_to_chat_id == -1005550000
    updates = await bot.get_updates()
    messages = [u.message for u in updates if u.message]
    assert [(m.chat.id, m.migrate_to_chat_id, m.migrate_from_chat_id) for m in messages] == [
        (-555, -1005550000, None),
        (-1005550000, None, -555),
    ]
    sent = await bot.send_message(-1005550000, "hi")
    assert sent.chat.type == "supergroup"


async def test_injected_errors(bot: Bot, sim: TelegramSimulator) -> None:
    sim.faults.fail_next(2, status=502)
    sim.faults.retry_after_storm(1, retry_after=3)
    for _ in range(2):
        with pytest.raises(TelegramServerError, match="Bad Gateway"):
            await bot.send_message(GROUP, "hi")
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(GROUP, "hi")
    assert caught.value.retry_after == 3
    await bot.get_me()  # not a send: untouched
    await bot.send_message(GROUP, "hi")
    assert sim.count_by_status[502] == 2 and sim.count_429 == 1
    assert len(sim.sent) == 1


async def test_dropped_reply_still_records_the_message(bot: Bot, sim: TelegramSimulator) -> None:
    sim.faults.seed(7)
    sim.faults.drop_reply_ratio = 1.0
    with pytest.raises(TelegramNetworkError):
        await bot.send_message(GROUP, "可能重复")
    assert [m.text for m in sim.sent] == ["可能重复"]
    sim.faults.drop_reply_ratio = 0.0
    await bot.send_message(GROUP, "ok")
    assert len(sim.sent) == 2


async def test_latency_delays_requests(bot: Bot, sim: TelegramSimulator) -> None:
    sim.faults.latency = 0.1
    loop = asyncio.get_running_loop()
    start = loop.time()
    await bot.get_me()
    assert loop.time() - start >= 0.1
