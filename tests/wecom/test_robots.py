"""Group robots through the real engine and workers against the WeCom simulator: each
robot's 20 messages a minute (a sliding window of arrivals, as WeCom counts them) across
worker processes, and what each ``errcode`` does."""

from __future__ import annotations

import asyncio
import logging

import pytest

from devkit.wecom.simulator import ROBOT_PER_MINUTE
from jobfeed.broadcast.models import Target
from tests.broadcast.conftest import assert_adds_up
from tests.wecom.conftest import PUBLIC, WeComRig, address

MINUTE = 60.0  # simulated seconds


def busiest_minute(arrivals: list[float]) -> int:
    """The most arrivals in any 60 s (simulated) window."""
    return max(
        (sum(1 for t in arrivals if start <= t < start + MINUTE) for start in arrivals), default=0
    )


async def test_each_robot_gets_at_most_20_a_minute_across_worker_processes(
    wrig: WeComRig,
) -> None:
    one, _ = await wrig.robot("烟台招聘一群")
    two, _ = await wrig.robot("烟台招聘二群")
    ids = await wrig.broadcasts(26)
    # Two workers with their own sessions and pacers: two processes sharing one Redis.
    found = await wrig.tg.run(*ids, workers=[wrig.worker(), wrig.worker()])

    assert all(p.delivered == 2 and p.failed_total == 0 for p in found)
    for robot in (one, two):
        assert len(robot.texts) == 26  # every broadcast once, none twice
        assert robot.over_limit == 0  # never refused for its limit
        assert busiest_minute(robot.all_arrivals) == ROBOT_PER_MINUTE
        # The 21st message waited for the first one's minute to pass.
        assert robot.all_arrivals[20] - robot.all_arrivals[0] >= MINUTE
    assert "[查看岗位并报名](https://jobs.example.com/jobs/" in one.texts[0]
    assert one.texts[0].startswith("## 招聘")


async def test_45009_makes_only_that_robot_wait_a_minute_and_send_again(
    wrig: WeComRig,
) -> None:
    busy, _ = await wrig.robot("忙的群")
    calm, _ = await wrig.robot("闲的群")
    busy.scripted = [45009]
    [broadcast_id] = await wrig.broadcasts(1)
    start = wrig.sim.now()
    [p] = await wrig.tg.run(broadcast_id, workers=[wrig.worker()])

    assert p.delivered == 2 and p.failed_total == 0
    assert len(busy.texts) == len(calm.texts) == 1
    assert calm.all_arrivals[0] - start < 10.0  # the other robot did not wait
    assert busy.all_arrivals[0] - start >= MINUTE - 1.0  # retried a minute later


async def test_93000_makes_the_group_inactive_and_later_broadcasts_skip_it(
    wrig: WeComRig,
) -> None:
    gone, robot = await wrig.robot("已移除机器人的群")
    kept, _ = await wrig.robot("还在的群")
    gone.removed = True  # someone removed the robot from its group
    [first] = await wrig.broadcasts(1)
    [p] = await wrig.tg.run(first, workers=[wrig.worker()])

    assert p.delivered == 1 and p.failed == {"forbidden": 1}
    group = await wrig.tg.groups.get(address(robot))
    assert group is not None and not group.active
    [listed] = [r for r in await wrig.robots.all() if r.group.chat_id == robot.group.chat_id]
    assert listed.last_error is not None and listed.last_error.code == 93000

    [second] = await wrig.broadcasts(1)
    [q] = await wrig.tg.run(second, workers=[wrig.worker()])
    assert q.targeted == 1 and len(kept.texts) == 2


@pytest.mark.parametrize("code", [40008, 40058, 310000])
async def test_any_other_code_fails_that_group_and_is_kept_with_the_robot(
    wrig: WeComRig, code: int
) -> None:
    odd, robot = await wrig.robot("报错的群")
    fine, _ = await wrig.robot("正常的群")
    odd.scripted = [code]
    [broadcast_id] = await wrig.broadcasts(1)
    [p] = await wrig.tg.run(broadcast_id, workers=[wrig.worker()])

    assert p.delivered == 1 and p.failed == {"rejected": 1}
    assert_adds_up(p)
    assert len(fine.texts) == 1 and odd.texts == []
    listed = {r.group.chat_id: r for r in await wrig.robots.all()}
    error = listed[robot.group.chat_id].last_error
    assert error is not None and error.code == code
    group = await wrig.tg.groups.get(address(robot))
    assert group is not None and group.active  # not a reason to drop the group


async def test_a_system_busy_answer_is_retried(wrig: WeComRig) -> None:
    flaky, _ = await wrig.robot("偶尔繁忙的群")
    flaky.scripted = [-1, -1]
    [broadcast_id] = await wrig.broadcasts(1)
    [p] = await wrig.tg.run(broadcast_id, workers=[wrig.worker()])
    assert p.delivered == 1 and len(flaky.texts) == 1


async def test_robots_cannot_edit_or_withdraw_so_a_retraction_skips_them(
    wrig: WeComRig,
) -> None:
    robot, _ = await wrig.robot("机器人群")
    [broadcast_id] = await wrig.broadcasts(1)
    await wrig.tg.run(broadcast_id, workers=[wrig.worker()])
    withdrawal = await wrig.tg.planner.withdraw(broadcast_id, key="w")
    [p] = await wrig.tg.run(withdrawal.id, workers=[wrig.worker()])
    assert p.skipped == {"unsupported": 1}
    assert len(robot.texts) == 1


async def test_no_log_line_holds_a_webhook_key(
    wrig: WeComRig, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    robots = [await wrig.robot(f"群{n}") for n in range(4)]
    robots[0][0].scripted = [45009]
    robots[1][0].removed = True
    robots[2][0].scripted = [40058]
    ids = await wrig.broadcasts(2, Target(city=["烟台"]))
    await wrig.tg.run(*ids, workers=[wrig.worker()])

    assert "errcode 45009" in caplog.text and "errcode 93000" in caplog.text  # it did log
    for sim_robot, robot in robots:
        assert sim_robot.key not in caplog.text
        assert robot.masked_key in caplog.text or sim_robot is robots[3][0]
    assert PUBLIC in robots[3][0].texts[0]


async def test_a_ten_vacancy_digest_fits_wecoms_4096_bytes_with_every_job_link(
    wrig: WeComRig,
) -> None:
    robot, _ = await wrig.robot("精选群")
    vacancies = await wrig.tg.vacancy(10)
    created = await wrig.tg.planner.create([v.id for v in vacancies], Target())
    [p] = await wrig.tg.run(created.id, workers=[wrig.worker()])
    assert p.delivered == 1
    [text] = robot.texts
    assert len(text.encode("utf-8")) <= 4096
    assert all(f"{PUBLIC}/jobs/{v.id}" in text for v in vacancies)


async def test_outside_text_cannot_add_markdown(wrig: WeComRig) -> None:
    robot, _ = await wrig.robot("群")
    [vacancy] = await wrig.tg.vacancy(1)
    sly = vacancy.model_copy(
        update={"employer": '[领红包](http://x.cn)<font color="warning">急</font>**'}
    )
    await wrig.tg.vacancies.save(sly)
    created = await wrig.tg.planner.create([sly.id], Target())
    await wrig.tg.run(created.id, workers=[wrig.worker()])
    [text] = robot.texts
    assert "[领红包](" not in text and '<font color="warning">急' not in text
    assert "［领红包］(http://x.cn)＜font" in text


async def test_a_stopped_worker_hands_back_and_another_finishes_each_robot_once(
    wrig: WeComRig,
) -> None:
    robot, _ = await wrig.robot("续发群")
    ids = await wrig.broadcasts(24)
    stop = asyncio.Event()
    first = asyncio.create_task(wrig.worker().run(stop))
    while len(robot.texts) < 10:  # stopped mid-way, inside the robot's first minute
        await asyncio.sleep(0.01)
    stop.set()
    await first
    assert len(robot.texts) < 24

    found = await wrig.tg.run(*ids, workers=[wrig.worker()])
    assert all(p.delivered == 1 for p in found)
    assert len(robot.texts) == 24 and len(set(robot.texts)) == 24  # each broadcast once
    assert robot.over_limit == 0  # the new worker counted the first one's sends
