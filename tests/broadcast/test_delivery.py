"""Every targeted group gets the post exactly once, within Telegram's limits."""

from __future__ import annotations

import pytest

from jobfeed.broadcast.engine import run_until_done
from jobfeed.broadcast.models import Progress, Status, Target
from jobfeed.models import GroupKind
from tests.broadcast.conftest import Rig, assert_adds_up, per_chat


async def test_the_whole_matrix_gets_the_post_exactly_once_without_a_429(rig: Rig) -> None:
    matrix = await rig.load()
    assert len(matrix) == 1400
    broadcast_id = await rig.create()
    seen: list[Progress] = []

    [final] = await run_until_done(
        [rig.worker()], rig.plans, [broadcast_id], on_progress=seen.extend, poll=0.05
    )

    assert per_chat(rig.sim) == {g.chat_id: 1 for g in matrix}
    assert rig.sim.count_429 == 0
    assert rig.sim.max_rate_observed(1.0) <= 30
    assert final.status is Status.done
    assert (final.targeted, final.delivered, final.pending) == (1400, 1400, 0)
    assert final.failed == {} and final.skipped == {} and final.unknown == 0
    assert final.started_at and final.finished_at and final.finished_at >= final.started_at
    assert len(seen) > 3  # the invariant held at every look, not just at the end
    for p in seen:
        assert_adds_up(p)
    outcomes = await rig.plans.outcomes(broadcast_id)
    by_chat = {m.chat_id: m.message_id for m in rig.sim.sent}
    assert {o.chat_id: o.message_id for o in outcomes} == by_chat  # message ids are kept


async def test_three_workers_share_one_budget_and_never_exceed_a_limit(rig: Rig) -> None:
    matrix = await rig.load(300)
    # A digest and a single post to the same groups, plus a burst of posts into a few
    # groups: per-group windows fill up while the global rate is being used.
    first = await rig.create()
    second = await rig.create(vacancies=2)
    few = Target(city=[matrix[0].city or ""])
    extra = [await rig.create(few, scheduled_at=None) for _ in range(3)]
    few_groups = [g for g in matrix if g.city == matrix[0].city]

    pacer = rig.pacer(global_rate=22)
    workers = [rig.worker(pacer, concurrency=8) for _ in range(3)]
    done = await rig.run(first, second, *extra, workers=workers)

    assert all(p.status is Status.done and p.delivered == p.targeted for p in done)
    assert rig.sim.count_429 == 0
    assert rig.sim.max_rate_observed(1.0) <= 30
    assert rig.sim.max_per_chat_per_minute() <= 20
    assert sum(w.sent for w in workers) == len(rig.sim.sent)
    assert all(w.sent > 0 for w in workers)  # all three took part
    assert len(rig.sim.sent) == 2 * len(matrix) + 3 * len(few_groups)


@pytest.mark.parametrize("speed", [30.0])  # a simulated minute lasts 2 s
async def test_posts_for_one_group_wait_for_its_window_instead_of_breaking_it(rig: Rig) -> None:
    [group] = await rig.load(1)
    ids = [await rig.create() for _ in range(24)]  # 24 posts for one group, 20 a minute

    done = await rig.run(*ids, workers=[rig.worker(concurrency=4)])

    assert all(p.delivered == 1 for p in done)
    assert len(rig.sim.messages_in(group.chat_id)) == 24
    assert rig.sim.count_429 == 0
    assert rig.sim.max_per_chat_per_minute() == 20  # the window was used, never exceeded


async def test_concurrent_broadcasts_share_the_budget_fairly(rig: Rig) -> None:
    matrix = await rig.load(400)
    recruitment = Target(kind=[GroupKind.recruitment])
    community = Target(kind=[GroupKind.community])
    a = await rig.create(recruitment)
    b = await rig.create(community)
    smaller = min(sum(g.kind is kind for g in matrix) for kind in GroupKind)
    assert smaller >= 50

    await rig.run(a, b, workers=[rig.worker(rig.pacer(global_rate=25), concurrency=8)])

    # While both were running they took turns: in the first 2 x (the smaller one) sends,
    # each had about half, instead of one waiting for the other to finish.
    kinds = {g.chat_id: g.kind for g in matrix}
    head = [kinds[m.chat_id] for m in rig.sim.sent[: 2 * smaller]]
    share = head.count(GroupKind.recruitment) / len(head)
    assert 0.4 <= share <= 0.6
