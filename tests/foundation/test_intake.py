"""The durable inbox: an update_id is queued once, and a dead consumer's work is taken over."""

from __future__ import annotations

from redis.asyncio import Redis

from jobfeed.intake import UpdateInbox
from jobfeed.keys import Keys


def update(update_id: int, text: str = "天津 电焊工") -> dict[str, object]:
    return {"update_id": update_id, "message": {"message_id": 1, "text": text}}


async def test_redelivered_update_is_queued_once(redis: Redis, keys: Keys) -> None:
    inbox = UpdateInbox(redis, keys)
    await inbox.ensure_group()
    assert await inbox.put([update(1), update(2)]) == 2
    assert await inbox.put([update(2), update(3)]) == 1  # 2 was redelivered
    entries = await inbox.take("a", 10, block_ms=10, stale_ms=60_000)
    assert [e.update["update_id"] for e in entries] == [1, 2, 3]
    await inbox.done([e.entry_id for e in entries])
    assert await inbox.backlog() == 0
    assert await inbox.put([update(1)]) == 0  # still remembered after processing


async def test_entries_of_a_dead_consumer_are_taken_over(redis: Redis, keys: Keys) -> None:
    inbox = UpdateInbox(redis, keys)
    await inbox.ensure_group()
    await inbox.put([update(10), update(11)])
    taken = await inbox.take("dies", 10, block_ms=10, stale_ms=60_000)
    assert len(taken) == 2  # ...and then this consumer crashes before done()

    assert await inbox.take("survivor", 10, block_ms=10, stale_ms=60_000) == []
    recovered = await inbox.take("survivor", 10, block_ms=10, stale_ms=0)
    assert sorted(e.update["update_id"] for e in recovered) == [10, 11]
    await inbox.done([e.entry_id for e in recovered])
    assert await inbox.backlog() == 0


async def test_update_without_integer_id_is_refused(redis: Redis, keys: Keys) -> None:
    inbox = UpdateInbox(redis, keys)
    for bad in ({"message": {}}, {"update_id": "7"}, {"update_id": True}):
        try:
            await inbox.put([bad])
        except ValueError:
            continue
        raise AssertionError(f"accepted {bad}")
    assert await inbox.backlog() == 0
