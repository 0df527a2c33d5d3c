"""The flood limits are sliding windows of arrival times, as Telegram counts them."""

from __future__ import annotations

import asyncio
import math

import pytest
from aiogram.exceptions import TelegramRetryAfter

from devkit.telegram import TelegramSimulator


async def test_a_burst_across_a_second_boundary_is_refused() -> None:
    """30 messages late in one second and one early in the next: a counter per calendar
    second would let the 31st through, and so would a 30/s token bucket (it refills 16
    tokens in 0.55 s); any 1 s window holding all 31 is over the limit."""
    async with TelegramSimulator(speed=1) as sim:
        for user_id in range(1, 33):
            sim.add_user(user_id)
        bot = sim.make_bot()
        try:
            now = sim.clock.now()
            sim.advance(math.ceil(now) + 0.5 - now)  # half past a second
            await asyncio.gather(*(bot.send_message(u, "hi") for u in range(1, 31)))
            first = min(m.sim_at for m in sim.sent)
            sim.advance(0.55)  # into the next calendar second
            with pytest.raises(TelegramRetryAfter) as caught:
                await bot.send_message(31, "hi")
            refused_at = sim.clock.now()
            assert math.floor(refused_at) > math.floor(max(m.sim_at for m in sim.sent))
            assert refused_at - first < 1.0
            assert caught.value.retry_after == 1
            sim.advance(0.5)  # every one of the 30 is now more than a second old
            await bot.send_message(31, "hi")
        finally:
            await bot.session.close()
        assert sim.count_429 == 1
        assert sim.max_rate_observed(1.0) == 30


async def test_a_group_burst_across_a_minute_boundary_is_refused() -> None:
    async with TelegramSimulator(speed=1) as sim:
        sim.add_chat(-1001, title="群")
        bot = sim.make_bot()
        try:
            for _ in range(20):
                await bot.send_message(-1001, "x")
                sim.advance(2.0)  # 20 messages over 40 s
            sim.advance(10.0)  # 50 s after the first: a new "minute" for a fixed counter
            with pytest.raises(TelegramRetryAfter) as caught:
                await bot.send_message(-1001, "x")
            assert 9 <= caught.value.retry_after <= 11  # the first leaves the window at 60 s
            sim.advance(caught.value.retry_after)
            await bot.send_message(-1001, "x")
        finally:
            await bot.session.close()
        assert sim.max_per_chat_per_minute() == 20


async def test_a_request_counts_from_its_arrival_not_its_handling() -> None:
    """A request that reached the server within the window but was handled after it had
    passed (it waited its turn) is still over the limit."""
    async with TelegramSimulator(speed=1) as sim:
        for user_id in range(1, 32):
            sim.add_user(user_id)
        bot = sim.make_bot()
        try:
            await asyncio.gather(*(bot.send_message(u, "hi") for u in range(1, 31)))
            sim.faults.latency = 1.2  # held 1.2 s by the server before it is handled
            with pytest.raises(TelegramRetryAfter):
                await bot.send_message(31, "hi")
        finally:
            await bot.session.close()
        assert len(sim.sent) == 30


async def test_messages_are_stamped_with_their_arrival() -> None:
    async with TelegramSimulator(speed=1) as sim:
        sim.add_chat(-1001, title="群")
        sim.faults.latency = 0.3
        bot = sim.make_bot()
        try:
            before = sim.clock.now()
            await bot.send_message(-1001, "x")
            after = sim.clock.now()
        finally:
            await bot.session.close()
        [sent] = sim.sent
        assert before <= sent.sim_at <= after - 0.29  # arrived, then waited 0.3 s


async def test_an_earlier_arrival_handled_last_still_fills_the_window() -> None:
    """Handled after 30 later arrivals, a request is refused although the second before
    its own arrival was empty: with it, the second before the last of them holds 31."""
    async with TelegramSimulator(speed=1) as sim:
        for user_id in range(1, 32):
            sim.add_user(user_id)
        bot = sim.make_bot()
        try:
            sim.faults.latency = 1.1
            held = asyncio.create_task(bot.send_message(31, "first to arrive"))
            while sim.requests["sendMessage"] == 0:
                await asyncio.sleep(0.001)
            sim.faults.latency = 0.0
            await asyncio.gather(*(bot.send_message(u, "hi") for u in range(1, 31)))
            with pytest.raises(TelegramRetryAfter):
                await held
        finally:
            await bot.session.close()
        assert len(sim.sent) == 30
        assert sim.max_rate_observed(1.0) == 30
