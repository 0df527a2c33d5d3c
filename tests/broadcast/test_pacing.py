"""The send budget in Redis: evenly spaced slots overall, a window per chat, 429 penalties."""

from __future__ import annotations

import asyncio
import itertools

from redis.asyncio import Redis

from jobfeed.broadcast.pacing import Pacer, PacingLimits
from jobfeed.keys import Keys
from tests.conftest import redis_url


def pacer(redis: Redis, keys: Keys, **limits: float) -> Pacer:
    values = {"global_rate": 100.0, "group_limit": 20, "group_window": 60.0, **limits}
    return Pacer(redis, keys, "b", PacingLimits(**values))  # type: ignore[arg-type]


async def test_slots_are_spaced_evenly_and_shared_by_every_process(
    redis: Redis, keys: Keys
) -> None:
    other_process = Redis.from_url(redis_url(), decode_responses=True)
    try:
        mine, theirs = pacer(redis, keys), pacer(other_process, keys)
        slots = await asyncio.gather(
            *(p.reserve(chat) for chat in range(40) for p in (mine, theirs))
        )
    finally:
        await other_process.aclose()

    assert all(s.granted for s in slots)
    times = sorted(float(s.at) for s in slots)  # ms, on Redis' clock
    gaps = [round(b - a, 3) for a, b in itertools.pairwise(times)]
    assert min(gaps) == 10.0  # never closer than 1/100 s: one schedule for both
    assert gaps.count(10.0) >= len(gaps) - 3  # (wider only when asked later than due)


async def test_a_full_chat_window_defers_only_that_chat(redis: Redis, keys: Keys) -> None:
    p = pacer(redis, keys, group_limit=3, group_window=0.5)
    first = [await p.reserve(-1) for _ in range(3)]
    fourth = await p.reserve(-1)
    elsewhere = await p.reserve(-2)

    assert all(s.granted for s in first)
    assert not fourth.granted and 0.4 <= fourth.wait <= 0.5
    assert elsewhere.granted and elsewhere.wait < 0.05  # other chats go on
    await asyncio.sleep(fourth.wait)
    assert (await p.reserve(-1)).granted


async def test_an_unused_slot_frees_its_place_in_the_chat_window(redis: Redis, keys: Keys) -> None:
    p = pacer(redis, keys, group_limit=2, group_window=10.0)
    kept, given_back = await p.reserve(-1), await p.reserve(-1)
    assert not (await p.reserve(-1)).granted

    await p.unused(-1, given_back)

    assert kept.granted and (await p.reserve(-1)).granted


async def test_slots_are_granted_only_a_horizon_ahead(redis: Redis, keys: Keys) -> None:
    p = pacer(redis, keys, global_rate=10.0, horizon=0.25)
    slots = [await p.reserve(chat) for chat in range(5)]

    assert [s.granted for s in slots] == [True, True, True, False, False]
    assert 0.0 < slots[3].wait <= 0.1


async def test_a_429_moves_the_whole_schedule(redis: Redis, keys: Keys) -> None:
    p = pacer(redis, keys, horizon=5.0)
    await p.penalize(0.3)
    slot = await p.reserve(-1)

    assert slot.granted and 0.28 <= slot.wait <= 0.31


async def test_acquire_waits_for_both_limits(redis: Redis, keys: Keys) -> None:
    p = pacer(redis, keys, group_limit=2, group_window=0.3)
    loop = asyncio.get_running_loop()
    start = loop.time()
    for _ in range(3):
        await p.acquire(-7)
    assert loop.time() - start >= 0.29


async def redis_ms(redis: Redis) -> float:
    seconds, micros = await redis.time()
    return seconds * 1000.0 + micros / 1000.0


async def test_a_window_later_waits_for_the_reply_to_the_send_before(
    redis: Redis, keys: Keys
) -> None:
    """Arrivals bunch up however evenly requests are sent; a request is known to have
    arrived only once its reply is back, so the next window's send waits for that."""
    p = pacer(redis, keys, global_rate=10.0, horizon=2.0)  # 10 in any second
    first = [await p.reserve(chat) for chat in range(10)]
    assert all(s.granted for s in first)
    assert not (await p.reserve(10)).granted  # the first may still arrive any moment

    before = await redis_ms(redis)
    await p.sent(first[0])  # returns at once; the report goes out with the turn's batch
    await p.reports_made()
    replied = await redis_ms(redis)  # the report reached Redis between the two
    eleventh = await p.reserve(10)

    assert eleventh.granted
    assert before + 1000.0 <= float(eleventh.at) <= replied + 1010.0


async def test_an_unreported_send_counts_as_arriving_within_in_flight(
    redis: Redis, keys: Keys
) -> None:
    p = pacer(redis, keys, global_rate=10.0, horizon=2.0, in_flight=0.2)
    first = [await p.reserve(chat) for chat in range(10)]
    assert not (await p.reserve(10)).granted
    await asyncio.sleep(0.25)  # the first slot's request must have arrived by now

    eleventh = await p.reserve(10)

    assert eleventh.granted
    assert float(eleventh.at) >= float(first[0].at) + 200.0 + 1000.0


async def test_an_unused_slot_leaves_the_overall_window(redis: Redis, keys: Keys) -> None:
    p = pacer(redis, keys, global_rate=10.0, horizon=2.0)
    first = [await p.reserve(chat) for chat in range(10)]
    await p.unused(0, first[0])  # never sent: it arrives nowhere

    assert (await p.reserve(10)).granted
