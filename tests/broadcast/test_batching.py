"""Script calls sharing round trips: every caller gets its own result or its own error."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from jobfeed.batching import ScriptBatcher
from jobfeed.keys import Keys


async def test_concurrent_calls_each_get_their_own_result(redis: Redis, keys: Keys) -> None:
    # A script the server has never seen: the first pipeline answers NOSCRIPT for all.
    script = redis.register_script(
        f"-- {uuid.uuid4()}\n"
        "if ARGV[1] == 'boom' then return redis.error_reply('boom') end\n"
        "return redis.call('INCRBY', KEYS[1], ARGV[1])"
    )
    batch = ScriptBatcher(redis)
    counter = keys.broadcast("batch-test")

    results = await asyncio.gather(
        *(batch(script, [counter], [1]) for _ in range(50)),
        batch(script, [counter], ["boom"]),
        return_exceptions=True,
    )

    assert sorted(r for r in results if isinstance(r, int)) == list(range(1, 51))
    [error] = [r for r in results if isinstance(r, BaseException)]
    assert isinstance(error, ResponseError) and "boom" in str(error)
    assert await redis.get(counter) == "50"
    assert await batch(script, [counter], [5]) == 55  # loaded now: one round trip


async def test_a_caller_cancelled_before_the_round_trip_runs_nothing(
    redis: Redis, keys: Keys
) -> None:
    script = redis.register_script("return redis.call('INCR', KEYS[1])")
    batch = ScriptBatcher(redis)
    call = asyncio.ensure_future(batch(script, [keys.broadcast("batch-cancel")], []))
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    assert await batch(script, [keys.broadcast("batch-other")], []) == 1
    assert await redis.get(keys.broadcast("batch-cancel")) is None  # it never ran
