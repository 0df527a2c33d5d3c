"""One broadcast, two channels: Telegram (the simulator) and a WeCom-robot-like test channel.

Each channel gets its own budget (Telegram's 30/s and 20/min per group; the robot's 20/min
per robot), its own rendering, its own error codes, and its own line in the outcomes.
"""

from __future__ import annotations

from collections import Counter

import pytest

from bot.telegram.channel import TELEGRAM, TelegramChannel
from bot.telegram.links import TelegramLinks
from jobfeed.broadcast.engine import EngineOptions, Worker
from jobfeed.broadcast.models import ChannelProgress, Post, Target
from jobfeed.broadcast.pacing import Pacer
from jobfeed.channels import Address
from jobfeed.models import Group
from jobfeed.texts import Texts
from tests.broadcast.conftest import BOT_USERNAME, QUICK, Rig, per_chat
from tests.broadcast.robot import FREQ_OUT_OF_LIMIT, INVALID_WEBHOOK, ROBOT, RobotChannel

ROOMS = {"room-a": "烟台", "room-busy": "烟台", "room-gone": "烟台", "room-bt": "包头"}


@pytest.fixture
def speed() -> float:
    return 20.0  # a simulated minute lasts 3 s


def two_channel_worker(rig: Rig, robot: RobotChannel, robot_pacer: Pacer) -> Worker:
    return Worker(
        rig.tasks,
        {TELEGRAM: rig.pacer(), ROBOT: robot_pacer},
        {
            TELEGRAM: TelegramChannel(
                rig.bot, links=TelegramLinks(rig.bot, BOT_USERNAME), texts=Texts()
            ),
            ROBOT: robot,
        },
        rig.groups,
        EngineOptions(**QUICK),
        liveness=rig.liveness,
    )


async def test_one_broadcast_to_two_channels_keeps_each_ones_limits(
    rig: Rig, speed: float
) -> None:
    matrix = await rig.load(60)
    yantai = [g.chat_id for g in matrix if g.city == "烟台"]
    assert yantai
    for room, city in ROOMS.items():
        await rig.groups.upsert(Group(channel=ROBOT, chat_id=room, title=f"{city}群", city=city))
    robot = RobotChannel(speed=speed)
    robot.scripted = {"room-busy": [FREQ_OUT_OF_LIMIT], "room-gone": [INVALID_WEBHOOK]}
    robot_pacer = Pacer(rig.redis, rig.keys, ROBOT, robot.limits)
    # room-a's robot took its 20 messages of this minute already (through the same budget).
    for _ in range(20):
        await robot_pacer.acquire("room-a")
        await robot.send(Address(ROBOT, "room-a"), Post.model_validate({"html": "早先的消息"}))

    broadcast_id = await rig.create(Target(city=["烟台"]))
    [p] = await rig.run(broadcast_id, workers=[two_channel_worker(rig, robot, robot_pacer)])

    # Telegram: every targeted group exactly once, within its limits.
    assert per_chat(rig.sim) == dict.fromkeys(yantai, 1)
    assert rig.sim.count_429 == 0
    # The robot: exactly once per targeted room that works; room-a waited for its minute.
    assert {room: len(rig_texts) for room, rig_texts in robot.texts.items()} == {
        "room-a": 21, "room-busy": 1
    }  # fmt: skip
    assert robot.over_limit == 0  # its budget kept it within 20 a minute per robot
    arrivals = robot.arrivals["room-a"]
    assert arrivals[20] - arrivals[0] >= 60.0 / speed
    assert "<" not in robot.texts["room-busy"][0]  # its own rendering: plain text
    gone = await rig.groups.get(Address(ROBOT, "room-gone"))
    assert gone is not None and not gone.active  # 93000: the robot's webhook is gone

    assert (p.delivered, p.failed, p.skipped) == (len(yantai) + 2, {"forbidden": 1}, {})
    assert p.by_channel == {
        TELEGRAM: ChannelProgress(targeted=len(yantai), delivered=len(yantai)),
        ROBOT: ChannelProgress(targeted=3, delivered=2, failed=1),
    }
    states = {(o.channel, o.chat_id): o.state for o in await rig.plans.outcomes(broadcast_id)}
    assert states[(ROBOT, "room-a")] == "delivered" and (ROBOT, "room-bt") not in states

    # A withdrawal: Telegram deletes its posts; the robot cannot, so its groups are skipped.
    child = await rig.planner.withdraw(broadcast_id)
    [w] = await rig.run(child.id, workers=[two_channel_worker(rig, robot, robot_pacer)])
    assert Counter(d.chat_id for d in rig.sim.deletes) == dict.fromkeys(yantai, 1)
    assert (w.delivered, w.skipped) == (len(yantai), {"unsupported": 2})
    assert w.by_channel[ROBOT] == ChannelProgress(targeted=2, skipped=2)
