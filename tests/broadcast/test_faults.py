"""What Telegram throws at a broadcast: kicks, migrations, vanished chats, 429s, 5xx, lost
replies, bad requests, no connection. Each gets the right outcome, and the registry follows."""

from __future__ import annotations

from typing import Any

import pytest

from bot.telegram.channel import TELEGRAM, TelegramChannel
from bot.telegram.links import TelegramLinks
from devkit.telegram.session import SimSession
from jobfeed.broadcast.models import Post, Status
from jobfeed.broadcast.plans import PlanItem
from jobfeed.texts import Texts
from tests.broadcast.conftest import BOT_USERNAME, Rig, assert_adds_up, per_chat

NO_LIMITS: dict[str, Any] = {"concurrency": 8}


@pytest.fixture
def speed() -> float:
    return 50.0  # these tests are about outcomes, not about pacing


async def test_kicked_migrated_and_vanished_groups(rig: Rig) -> None:
    matrix = await rig.load(40)
    kicked = [g.chat_id for g in matrix[:3]]
    vanished = [g.chat_id for g in matrix[3:6]]
    migrated = {g.chat_id: -1009000000000 - n for n, g in enumerate(matrix[6:9])}
    for chat_id in kicked:
        rig.sim.bot_removed(chat_id)
    for chat_id in vanished:
        rig.sim.vanish(chat_id)
    for old, new in migrated.items():
        rig.sim.migrate(old, new)
    first = await rig.create()

    [p] = await rig.run(first)

    assert p.status is Status.done
    assert p.failed == {"forbidden": 3, "chat_not_found": 3}
    assert p.delivered == 34 and p.pending == 0
    assert_adds_up(p)
    sent = per_chat(rig.sim)
    assert all(sent[new] == 1 and sent[old] == 0 for old, new in migrated.items())
    assert sum(sent.values()) == 34
    for chat_id in kicked:
        group = await rig.groups.get(chat_id)
        assert group is not None and not group.active and group.inactive_reason == "kicked"
    for chat_id in vanished:
        group = await rig.groups.get(chat_id)
        assert group is not None and not group.active
        assert group.inactive_reason == "chat_not_found"
    by_id = {g.chat_id: g for g in matrix}
    for old, new in migrated.items():
        assert await rig.groups.get(old) is None
        moved = await rig.groups.get(new)
        assert moved is not None and moved.active
        assert (moved.city, moved.industries) == (by_id[old].city, by_id[old].industries)
        assert await rig.groups.migrated_to(old) == new
    outcomes = {o.chat_id: o for o in await rig.plans.outcomes(first)}
    assert all(outcomes[old].address == new for old, new in migrated.items())
    assert all(outcomes[c].reason == "forbidden" for c in kicked)

    # The next broadcast leaves the dead groups out and reaches the migrated ones directly.
    second = await rig.create()
    [q] = await rig.run(second)
    assert q.targeted == q.delivered == 34
    assert all(per_chat(rig.sim)[new] == 2 for new in migrated.values())


async def test_a_migration_into_a_group_the_plan_has_anyway_is_not_sent_twice(rig: Rig) -> None:
    matrix = await rig.load(5)
    old, new = matrix[0].chat_id, matrix[1].chat_id
    rig.sim.migrate(old, new)  # the registry still lists both (the update was missed)
    broadcast_id = await rig.create()

    [p] = await rig.run(broadcast_id)

    assert per_chat(rig.sim)[new] == 1
    assert p.delivered == 4 and p.skipped == {"merged": 1}


async def test_a_429_storm_delays_but_never_fails_a_group(rig: Rig) -> None:
    matrix = await rig.load(30)
    rig.sim.faults.retry_after_storm(5, retry_after=1)
    broadcast_id = await rig.create()

    [p] = await rig.run(broadcast_id, workers=[rig.worker(rig.pacer(1000), **NO_LIMITS)])

    assert p.delivered == 30 and p.failed == {}
    assert per_chat(rig.sim) == {g.chat_id: 1 for g in matrix}
    assert rig.sim.count_429 == 5  # the storm only: the pause was respected


async def test_a_5xx_burst_is_retried_with_backoff(rig: Rig) -> None:
    matrix = await rig.load(30)
    rig.sim.faults.fail_next(8, 502)
    broadcast_id = await rig.create()

    [p] = await rig.run(broadcast_id, workers=[rig.worker(concurrency=4, max_attempts=6)])

    assert p.delivered == 30 and p.failed == {}
    assert per_chat(rig.sim) == {g.chat_id: 1 for g in matrix}
    assert rig.sim.count_by_status[502] == 8


async def test_a_group_that_keeps_answering_5xx_fails_after_the_retries(rig: Rig) -> None:
    [group] = await rig.load(1)
    rig.sim.faults.fail_next(5, 500)
    broadcast_id = await rig.create()

    [p] = await rig.run(broadcast_id, workers=[rig.worker(concurrency=1, max_attempts=5)])

    assert p.failed == {"server_error": 1} and p.delivered == 0
    assert rig.sim.requests["sendMessage"] == 5
    stored = await rig.groups.get(group.chat_id)
    assert stored is not None and stored.active  # a server error says nothing of the group


async def test_a_bad_request_fails_at_once_without_retries(rig: Rig) -> None:
    [group] = await rig.load(1)
    created = await rig.plans.create(
        plan=[PlanItem(group.address)], post=Post.model_validate({"html": "<b>unclosed"})
    )

    [p] = await rig.run(created.id)

    assert p.failed == {"rejected": 1}
    assert rig.sim.requests["sendMessage"] == 1


async def test_no_connection_is_retried_then_failed_never_unknown(rig: Rig) -> None:
    await rig.load(1)
    broadcast_id = await rig.create()
    worker = rig.worker(concurrency=1, max_attempts=3)
    dead_bot = rig.sim.make_bot()
    await dead_bot.session.close()
    dead_bot.session = SimSession("http://127.0.0.1:9")  # nothing listens on port 9
    worker._channels = {
        TELEGRAM: TelegramChannel(
            dead_bot, links=TelegramLinks(dead_bot, BOT_USERNAME), texts=Texts()
        )
    }

    [p] = await rig.run(broadcast_id, workers=[worker])
    await dead_bot.session.close()

    assert p.failed == {"network": 1} and p.unknown == 0


@pytest.mark.parametrize("policy", ["resend", "report"])
async def test_lost_replies_follow_the_unknown_outcome_policy(rig: Rig, policy: str) -> None:
    matrix = await rig.load(300)
    rig.sim.faults.seed(7)
    rig.sim.faults.drop_reply_ratio = 0.02
    broadcast_id = await rig.create()

    [p] = await rig.run(broadcast_id, workers=[rig.worker(policy=policy, **NO_LIMITS)])

    sent = per_chat(rig.sim)
    assert set(sent) == {g.chat_id for g in matrix}  # nothing missing
    assert p.unknown > 0
    assert_adds_up(p)
    if policy == "resend":
        # Every lost reply hid a delivered message, which was sent again: the duplicates
        # are exactly the lost replies, all counted.
        assert sum(n - 1 for n in sent.values()) == p.unknown == p.resent
        assert p.delivered == 300 and p.failed == {}
    else:
        assert set(sent.values()) == {1}  # nothing sent twice
        assert p.failed == {"unknown_outcome": p.unknown}
        assert len(p.unknown_chats) == p.unknown and p.delivered == 300 - p.unknown
        outcomes = {o.chat_id: o for o in await rig.plans.outcomes(broadcast_id)}
        assert all(outcomes[c].reason == "unknown_outcome" for c in p.unknown_chats)
