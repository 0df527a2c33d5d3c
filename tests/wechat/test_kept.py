"""A message answered ``success`` (late) is ours to keep: it survives the process that
took it, is worked out again by the sweeper, and after repeated failures is a dead letter
an admin can see and replay through the API."""

from __future__ import annotations

import asyncio

from bot.appkeys import KEYS, REDIS
from bot.wechat.oa import CHANNEL
from bot.wechat.oa.xmlmsg import Inbound
from jobfeed.inbound import MAX_ATTEMPTS, InboundKeeper
from tests.handlers.resume_chat import VACANCY_ID, vacancy
from tests.handlers.search_chat import load
from tests.wechat.conftest import OaSystem


def keeper(oa: OaSystem) -> InboundKeeper:
    return InboundKeeper(oa.system.app[REDIS], oa.system.app[KEYS], CHANNEL)


async def kept_count(oa: OaSystem) -> int:
    return int(await oa.system.app[REDIS].hlen(oa.system.app[KEYS].channel_late(CHANNEL)))


async def test_a_late_message_is_kept_until_its_reply_went_out(oa: OaSystem) -> None:
    await load(oa.system, [vacancy()])
    oa.endpoint.deadline = 0.0
    follower = oa.follower()
    reply = await follower.say("天津 电焊工")
    assert reply.body == "success"
    [late] = await oa.sent_to(follower.openid)
    assert f"/jobs/{VACANCY_ID}" in late
    for _ in range(100):  # settled right after the customer-service message
        if await kept_count(oa) == 0:
            break
        await asyncio.sleep(0.02)
    assert await kept_count(oa) == 0
    assert await oa.endpoint.sweep_once(older_than=0) == 0  # nothing left to do twice


async def test_a_message_a_dead_process_acknowledged_is_worked_out_by_the_sweeper(
    oa: OaSystem,
) -> None:
    await load(oa.system, [vacancy()])
    follower = oa.follower("oStranded0001")
    await follower.say("你好")  # inside WeChat's 48 hours from here
    # What a process that answered "success" to their next message and then died left.
    message = Inbound(
        to_user="gh_test",
        from_user=follower.openid,
        create_time="1700000000",
        msg_type="text",
        content="天津 电焊工",
        msg_id="990001",
    )
    inbound = {k: getattr(message, k) for k in Inbound.__dataclass_fields__}
    record = {"inbound": inbound, "origin": oa.system.base_url}
    await keeper(oa).keep(message.once_key, record)
    assert await oa.endpoint.sweep_once(older_than=60) == 0  # still fresh: maybe in hand

    assert await oa.endpoint.sweep_once(older_than=0) == 1
    [late] = await oa.sent_to(follower.openid)
    assert "电焊工" in late and f"/jobs/{VACANCY_ID}" in late
    assert await kept_count(oa) == 0
    assert await oa.endpoint.sweep_once(older_than=0) == 0


async def test_a_message_that_keeps_failing_becomes_a_dead_letter_an_admin_replays(
    oa: OaSystem,
) -> None:
    # A record this code cannot read (written by another version, say): every try fails.
    await keeper(oa).keep("990002", {"inbound": {"content": "电焊工"}, "origin": "x"})
    for _ in range(MAX_ATTEMPTS):
        assert await oa.endpoint.sweep_once(older_than=0) == 0
    assert await kept_count(oa) == 0

    code, dead = await oa.system.api("GET", f"/api/channels/{CHANNEL}/dead")
    assert code == 200 and dead["total"] == 1
    [letter] = dead["messages"]
    assert letter["key"] == "990002" and letter["attempts"] == MAX_ATTEMPTS
    assert "TypeError" in letter["error"]

    code, replayed = await oa.system.api("POST", f"/api/channels/{CHANNEL}/dead/990002/replay")
    assert code == 200 and replayed == {"key": "990002", "replayed": True}
    assert await kept_count(oa) == 1  # back with the sweeper, attempts from zero
    code, dead = await oa.system.api("GET", f"/api/channels/{CHANNEL}/dead")
    assert dead["total"] == 0
    code, _ = await oa.system.api("POST", f"/api/channels/{CHANNEL}/dead/990002/replay")
    assert code == 404
    code, _ = await oa.system.api("GET", "/api/channels/Not_A_Channel/dead")
    assert code == 400
