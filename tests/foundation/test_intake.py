"""The durable inbox: an update_id is logged once, and a dead receiver's work is adopted."""

from __future__ import annotations

import json

from redis.asyncio import Redis

from jobfeed.intake import UpdateInbox
from jobfeed.keys import Keys


def raw(update_id: int, text: str = "天津 电焊工") -> str:
    return json.dumps({"update_id": update_id, "message": {"text": text}}, ensure_ascii=False)


async def test_redelivered_update_is_logged_once(redis: Redis, keys: Keys) -> None:
    inbox = UpdateInbox(redis, keys, owner="a")
    first = await inbox.accept_many([(1, raw(1)), (2, raw(2))])
    assert all(first)
    again = await inbox.accept_many([(2, raw(2)), (3, raw(3))])
    assert again[0] is None and again[1] is not None  # 2 was redelivered
    assert await inbox.backlog() == 3
    for entry_id in [*first, again[1]]:
        assert entry_id is not None
        await inbox.done(entry_id)
    assert await inbox.backlog() == 0
    assert await inbox.accept(1, raw(1)) is None  # still remembered after handling


async def test_entries_of_a_dead_receiver_are_adopted(redis: Redis, keys: Keys) -> None:
    dying = UpdateInbox(redis, keys, owner="dying")
    survivor = UpdateInbox(redis, keys, owner="survivor")
    await dying.beat()
    await survivor.beat()
    await dying.accept_many([(10, raw(10)), (11, raw(11, "保姆"))])
    # ...and the receiver crashes before handling them.
    assert await survivor.adopt_orphans() == []  # its heartbeat has not lapsed yet

    await redis.delete(keys.update_receiver_prefix + "dying")  # the heartbeat lapses
    adopted = await survivor.adopt_orphans()
    assert [json.loads(e.raw)["update_id"] for e in adopted] == [10, 11]
    assert await survivor.adopt_orphans() == []  # adopted once, now owned by the survivor
    for entry in adopted:
        await survivor.done(entry.entry_id)
    assert await survivor.backlog() == 0
