"""The reply gate of group answers against a real Redis: per-user interval, per-group limit,
and the broadcast pacer's per-group window shared with broadcasts."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from jobfeed.broadcast.pacing import Pacer, PacingLimits
from jobfeed.keys import Keys
from jobfeed.search.throttle import ReplyGate, ReplyLimits

GROUP = -100777


def gate(redis: Redis, keys: Keys, limits: ReplyLimits, group_limit: int = 20) -> ReplyGate:
    pacer = Pacer(redis, keys, "bot", PacingLimits(global_rate=1000, group_limit=group_limit))
    return ReplyGate(redis, keys, pacer, limits)


async def test_one_answer_per_user_per_interval(redis: Redis, keys: Keys) -> None:
    replies = gate(redis, keys, ReplyLimits(user_interval=0.3, group_limit=10))
    assert await replies.admit(GROUP, 1, 10) is not None
    assert await replies.admit(GROUP, 1, 11) is None
    assert await replies.admit(GROUP - 1, 1, 12) is None  # in another group too
    assert await replies.admit(GROUP, 2, 13) is not None
    await asyncio.sleep(0.35)
    assert await replies.admit(GROUP, 1, 14) is not None


async def test_a_group_limit_per_window(redis: Redis, keys: Keys) -> None:
    replies = gate(redis, keys, ReplyLimits(user_interval=0, group_limit=3, group_window=0.3))
    admitted = [await replies.admit(GROUP, user, user) for user in range(5)]
    assert [a is not None for a in admitted] == [True, True, True, False, False]
    assert await replies.admit(GROUP - 1, 9, 9) is not None
    await asyncio.sleep(0.35)
    assert await replies.admit(GROUP, 7, 7) is not None


async def test_the_same_message_handled_again_is_admitted_and_counted_once(
    redis: Redis, keys: Keys
) -> None:
    replies = gate(redis, keys, ReplyLimits(user_interval=60, group_limit=2))
    assert await replies.admit(GROUP, 1, 10) is not None
    assert await replies.admit(GROUP, 1, 10) is not None  # a retry after a crash
    assert await replies.admit(GROUP, 2, 20) is not None
    assert await replies.admit(GROUP, 3, 30) is None


async def test_broadcasts_use_up_the_groups_minute_for_answers_too(
    redis: Redis, keys: Keys
) -> None:
    replies = gate(redis, keys, ReplyLimits(user_interval=0, group_limit=20), group_limit=5)
    pacer = Pacer(redis, keys, "bot", PacingLimits(global_rate=1000, group_limit=5))
    for _ in range(4):
        await pacer.acquire(GROUP)  # a broadcast's sends
    assert await replies.admit(GROUP, 1, 1) is not None
    assert await replies.admit(GROUP, 2, 2) is None
    # Refused by the pacer, the answer gave its throttle place back.
    assert await redis.zcard(keys.search_reply_group(GROUP)) == 1
    assert not await redis.exists(keys.search_reply_user(2))


async def test_an_answer_that_did_not_go_out_gives_its_slot_back(redis: Redis, keys: Keys) -> None:
    replies = gate(redis, keys, ReplyLimits(user_interval=0, group_limit=20), group_limit=1)
    admission = await replies.admit(GROUP, 1, 1)
    assert admission is not None
    await replies.unused(admission)
    assert await replies.admit(GROUP, 2, 2) is not None


async def test_an_answer_reports_its_reply_so_it_leaves_the_overall_window_then(
    redis: Redis, keys: Keys
) -> None:
    # Sent answers count in the bot's overall window until their reply came back, not
    # until the in-flight bound (2 s): a busy group chat does not starve broadcasts.
    pacer = Pacer(redis, keys, "bot", PacingLimits(global_rate=1000))
    replies = ReplyGate(redis, keys, pacer, ReplyLimits(user_interval=0, group_limit=20))
    admission = await replies.admit(GROUP, 1, 1)
    assert admission is not None
    sent_key = keys.pace_sent("bot")
    bound = await redis.zscore(sent_key, admission.slot.at)
    assert bound is not None and bound >= float(admission.slot.at) + 1900.0

    await replies.sent(admission)
    await pacer.reports_made()  # the report goes out with the pacer's next batch

    seconds, micros = await redis.time()
    reported = await redis.zscore(sent_key, admission.slot.at)
    assert reported is not None and reported <= seconds * 1000 + micros / 1000
