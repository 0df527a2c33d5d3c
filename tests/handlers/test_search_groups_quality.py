"""The issue's group-level check through the Dispatcher: every sample message is sent to a
group as a job seeker would; chatter gets no reply, job queries get one (≥ 95%)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from jobfeed.keys import Keys
from tests.conftest import redis_url
from tests.handlers.search_chat import load, sample_queries, sample_vacancies
from tests.harness import System, running_system

GROUPS = 30
FIRST_GROUP = -1001600000000


@pytest.fixture
async def unthrottled(keys: Keys, redis: Redis) -> AsyncIterator[System]:
    # Throttling is tested on its own; here every message may be answered, and the global
    # rate is the simulator's so that a burst of answers is never refused by the pacer.
    async with running_system(
        keys,
        redis_url(),
        search_user_seconds=0,
        search_group_per_minute=20,
        global_rate=1000,
    ) as running:
        await load(running, sample_vacancies())
        for n in range(GROUPS):
            running.sim.add_chat(FIRST_GROUP - n, title=f"求职群 {n}")
        yield running


async def test_chatter_is_ignored_and_job_queries_are_answered(unthrottled: System) -> None:
    sim = unthrottled.sim
    asked: dict[tuple[int, int], dict[str, object]] = {}
    for n, query in enumerate(sample_queries()):
        chat_id = FIRST_GROUP - n % GROUPS
        update = sim.user_message(chat_id, 70000 + n, str(query["text"]))
        asked[(chat_id, update["message"]["message_id"])] = query
    await unthrottled.settle(within=60)

    replied = {(m.chat_id, m.reply_to_message_id) for m in sim.sent}
    assert len(replied) == len(sim.sent)  # one reply at most per message
    chatter = [q["text"] for key, q in asked.items() if not q["is_query"] and key in replied]
    assert chatter == []
    queries = [key for key, q in asked.items() if q["is_query"]]
    answered = sum(key in replied for key in queries)
    print(f"job queries answered in groups: {answered}/{len(queries)}")
    assert answered / len(queries) >= 0.95
