"""A mixed broadcast: Telegram groups (the Telegram simulator) and WeCom robot groups (the
WeCom simulator) in one plan, two worker processes, each channel within its own limits."""

from __future__ import annotations

from collections import Counter

from jobfeed.applications.repository import ApplicationRepository
from jobfeed.broadcast.models import ChannelProgress, Target
from jobfeed.stats import Stats
from tests.broadcast.conftest import assert_adds_up, per_chat
from tests.wecom.conftest import WeComRig
from tests.wecom.test_robots import MINUTE, busiest_minute


async def test_a_mixed_broadcast_reaches_every_group_once_within_each_channels_limits(
    wrig: WeComRig,
) -> None:
    matrix = await wrig.tg.load(60)
    yantai = [g.chat_id for g in matrix if g.city == "烟台"]
    assert yantai
    made = [await wrig.robot(f"烟台WeCom{n}群") for n in range(5)]
    robots = [sim_robot for sim_robot, _ in made]
    elsewhere, _ = await wrig.robot("包头WeCom群", city="包头")
    ids = [
        (await wrig.tg.planner.create([v.id], Target(city=["烟台"]))).id
        for v in await wrig.tg.vacancy(4)
    ]
    # The first robot already took its 20 messages of this minute (through its budget).
    pacer = wrig.wecom().pacers["wecom-robot"]
    for _ in range(20):
        await pacer.acquire(str(made[0][1].group.chat_id))
    start = wrig.sim.now()

    found = await wrig.tg.run(
        *ids, workers=[wrig.worker(telegram=True), wrig.worker(telegram=True)]
    )

    for p in found:
        assert_adds_up(p)
        assert p.failed_total == 0 and p.delivered == len(yantai) + 5
        assert p.by_channel == {
            "telegram": ChannelProgress(targeted=len(yantai), delivered=len(yantai)),
            "wecom-robot": ChannelProgress(targeted=5, delivered=5),
        }
    # The statistics split the week's deliveries by channel.
    tg = wrig.tg
    stats = Stats(
        groups=tg.groups,
        broadcasts=tg.plans,
        vacancies=tg.vacancies,
        applications=ApplicationRepository(tg.redis, tg.keys, 180),
        search=None,
        timezone="Asia/Shanghai",
    )
    week = (await stats.report()).week
    assert week.by_channel["wecom-robot"] == ChannelProgress(targeted=20, delivered=20)
    assert week.by_channel["telegram"].delivered == 4 * len(yantai)
    # Telegram: every group once per broadcast, never a 429.
    assert per_chat(wrig.tg.sim) == Counter(dict.fromkeys(yantai, 4))
    assert wrig.tg.sim.count_429 == 0
    # WeCom: every robot once per broadcast, never over 20 a minute; not the other city.
    assert [len(r.texts) for r in robots] == [4] * 5
    assert all(r.over_limit == 0 and busiest_minute(r.all_arrivals) <= 20 for r in robots)
    assert elsewhere.texts == []
    # The first robot's budget was spent: its posts waited for the minute to pass.
    assert robots[0].all_arrivals[0] - start >= MINUTE - 2.0
    assert all(r.all_arrivals[0] - start < MINUTE / 2 for r in robots[1:])
