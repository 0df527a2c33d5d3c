"""Customer groups (客户群): a broadcast makes one mass-send task per owner through the real
engine and workers, and each group's result is followed until it settles; the simulator
plays the owners confirming (or not)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from bot.wecom.credentials import CUSTOMER
from bot.wecom.customer import CorpApi, CustomerResults
from devkit.wecom.simulator import ALREADY_RECEIVED, NOT_FRIEND
from jobfeed.broadcast.models import Target
from jobfeed.channels import Address
from jobfeed.confirmations import ConfirmedSends, MassTask
from jobfeed.models import GroupTags, utcnow
from tests.wecom.conftest import PUBLIC, WeComRig


async def test_one_task_per_owner_then_each_groups_result_until_it_settles(
    wrig: WeComRig,
) -> None:
    sim = wrig.sim
    for chat, owner in [("wrA1", "zhangsan"), ("wrA2", "zhangsan"), ("wrA3", "zhangsan"),
                        ("wrB1", "lisi"), ("wrB2", "lisi")]:  # fmt: skip
        sim.add_customer_group(chat, owner, name=f"{owner}的求职群")
    wecom = wrig.wecom()
    owners = await wecom.sync.sync()
    assert owners == {"zhangsan": ["wrA1", "wrA2", "wrA3"], "lisi": ["wrB1", "wrB2"]}
    for owner in owners:
        await wrig.tg.groups.tag(Address(CUSTOMER, owner), GroupTags(city="烟台"))

    [broadcast_id] = await wrig.broadcasts(1, Target(city=["烟台"]))
    [p] = await wrig.tg.run(broadcast_id, workers=[wrig.worker()])

    # One task per owner, each covering their groups; nothing sent before they confirm.
    assert p.by_channel[CUSTOMER].delivered == 2
    assert sorted(t.sender for t in sim.tasks.values()) == ["lisi", "zhangsan"]
    assert {t.sender: sorted(t.chats) for t in sim.tasks.values()} == owners
    assert all(g.received == [] for g in sim.groups.values())
    [text] = {t.text for t in sim.tasks.values()}
    assert "【招聘】" in text and f"{PUBLIC}/jobs/" in text

    sends = ConfirmedSends(wrig.tg.redis, wrig.tg.keys)
    assert await wecom.results.poll_once() == 0
    tally = await sends.tally(broadcast_id)
    assert (tally.tasks, tally.tasks_awaiting) == (2, 2)
    assert tally.chats == Counter(awaiting=5)
    assert await sends.awaiting() == 2

    # 张三 confirms; one of his groups had its month's four mass sends already.
    [zhang] = sim.task_of("zhangsan")
    sim.confirm(zhang.msgid, failures={"wrA3": ALREADY_RECEIVED})
    assert await wecom.results.poll_once() == 1
    assert await sends.results(broadcast_id) == {
        "wrA1": "sent", "wrA2": "sent", "wrA3": "failed:already_received",
        "wrB1": "awaiting", "wrB2": "awaiting",
    }  # fmt: skip
    assert sim.groups["wrA1"].received == [text]
    assert await sends.awaiting() == 1 and await sends.open_broadcasts() == [broadcast_id]

    # 李四 never confirms: after three days his groups count as expired, and it settles.
    later = CustomerResults(
        CorpApi(wecom.http, wecom.token),
        sends,
        give_up_after=timedelta(days=3),
        clock=lambda: utcnow() + timedelta(days=3),
    )
    assert await later.poll_once() == 1
    final = await sends.tally(broadcast_id)
    assert final.settled and final.chats == Counter(
        {"sent": 2, "failed:already_received": 1, "failed:expired": 2}
    )
    assert await sends.open_broadcasts() == [] and await sends.awaiting() == 0


async def test_a_friendless_group_fails_and_the_token_is_cached_and_refreshed(
    wrig: WeComRig,
) -> None:
    sim = wrig.sim
    sim.add_customer_group("wrC1", "wangwu")
    sim.add_customer_group("wrC2", "wangwu")
    wecom = wrig.wecom()
    await wecom.sync.sync()
    [broadcast_id] = await wrig.broadcasts(1)
    await wrig.tg.run(broadcast_id, workers=[wrig.worker(), wrig.worker()])
    assert len(sim.tasks) == 1  # one owner, one task, two workers

    [task] = sim.tasks.values()
    sim.confirm(task.msgid, failures={"wrC2": NOT_FRIEND})
    sim.expire_tokens()  # WeCom stopped taking the cached token: fetched again, once
    assert await wecom.results.poll_once() == 1
    results = await ConfirmedSends(wrig.tg.redis, wrig.tg.keys).results(broadcast_id)
    assert results == {"wrC1": "sent", "wrC2": "failed:not_friend"}
    assert sim.token_requests == 2  # every process and call shares the cached token


async def test_an_owner_who_left_makes_their_group_inactive(wrig: WeComRig) -> None:
    wrig.sim.add_customer_group("wrD1", "zhaoliu")
    wecom = wrig.wecom()
    await wecom.sync.sync()
    del wrig.sim.groups["wrD1"]  # 赵六 left the company; his groups went to nobody yet
    [broadcast_id] = await wrig.broadcasts(1)
    [p] = await wrig.tg.run(broadcast_id, workers=[wrig.worker()])
    assert p.failed == {"forbidden": 1}
    group = await wrig.tg.groups.get(Address(CUSTOMER, "zhaoliu"))
    assert group is not None and not group.active


async def test_a_task_opened_while_another_settles_keeps_the_broadcast_open(
    wrig: WeComRig,
) -> None:
    sends = ConfirmedSends(wrig.tg.redis, wrig.tg.keys)
    now = utcnow()
    first = MassTask(sender="zhangsan", task_id="m1", created_at=now)
    await sends.opened("9", first, ["wrA1"])
    await sends.opened("9", MassTask(sender="lisi", task_id="m2", created_at=now), ["wrB1"])
    day = timedelta(days=1)
    assert not await sends.record("9", first, {"wrA1": "awaiting"}, now, give_up_after=day)
    assert await sends.record("9", first, {"wrA1": "sent"}, now, give_up_after=day)
    assert await sends.open_broadcasts() == ["9"]  # lisi's task still awaits him
    assert await sends.lease_round(60) and not await sends.lease_round(60)  # one poller
