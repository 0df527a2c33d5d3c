"""Pause, resume, cancel, schedule, quiet hours, edit and withdraw; idempotent creation;
a stalled worker that was taken over cannot record anything any more."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from bot.telegram.channel import TELEGRAM, TelegramChannel
from bot.telegram.links import TelegramLinks
from jobfeed.broadcast.engine import EngineOptions, Worker
from jobfeed.broadcast.models import Action, Progress, Status, Target
from jobfeed.broadcast.plans import BroadcastError
from jobfeed.broadcast.quiet import QuietHours
from jobfeed.keys import Keys
from jobfeed.models import VacancyStatus, utcnow
from jobfeed.texts import Texts
from tests.broadcast.conftest import (
    BOT_USERNAME,
    QUICK,
    Rig,
    assert_adds_up,
    open_rig,
    per_chat,
)
from tests.redis_server import RedisServer


@asynccontextmanager
async def running(*crew: Worker) -> AsyncIterator[None]:
    stop = asyncio.Event()
    tasks = [asyncio.create_task(worker.run(stop)) for worker in crew]
    try:
        yield
    finally:
        stop.set()
        _, stuck = await asyncio.wait(tasks, timeout=20)
        if stuck:
            for task in asyncio.all_tasks():
                task.print_stack()
            raise AssertionError("a worker did not stop within 20 s")


async def until(rig: Rig, broadcast_id: str, test: Callable[[Progress], bool]) -> Progress:
    for _ in range(500):
        try:
            p = await rig.plans.progress(broadcast_id)
        except RedisConnectionError:  # a pooled connection from before a Redis restart
            continue
        assert p is not None
        assert_adds_up(p)
        if test(p):
            return p
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out; last progress: {p}")


async def until_states(rig: Rig, broadcast_id: str, test: Callable[[list[str]], bool]) -> None:
    """Tasks a worker holds go back to the queue when their send slot comes (a few
    seconds at most), not at the moment of the pause."""
    for _ in range(250):
        states = await rig.states(broadcast_id)
        if test(states):
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out; held or sending: {[x for x in states if x[0] in 'hs']}")


async def settled_sends(rig: Rig) -> int:
    """The number of sends once nothing has moved for a while."""
    count = -1
    for _ in range(30):
        if count == len(rig.sim.sent):
            return count
        count = len(rig.sim.sent)
        await asyncio.sleep(0.3)
    raise AssertionError("sends never stopped")


async def test_pause_stops_sending_and_resume_finishes_exactly_once(rig: Rig) -> None:
    matrix = await rig.load(200)
    broadcast_id = await rig.create()
    async with running(rig.worker(concurrency=4)):
        await until(rig, broadcast_id, lambda p: p.delivered >= 30)
        await rig.plans.pause(broadcast_id)
        sent = await settled_sends(rig)
        paused = await until(rig, broadcast_id, lambda p: p.status is Status.paused)
        assert 30 <= sent < len(matrix) and paused.pending == len(matrix) - sent
        await until_states(rig, broadcast_id, lambda s: not [x for x in s if x[0] in "hs"])
        with pytest.raises(BroadcastError):
            await rig.plans.pause(broadcast_id)

        await rig.plans.resume(broadcast_id)
        done = await until(rig, broadcast_id, lambda p: p.finished_at is not None)

    assert done.status is Status.done and done.delivered == len(matrix)
    assert per_chat(rig.sim) == {g.chat_id: 1 for g in matrix}
    with pytest.raises(BroadcastError):
        await rig.plans.resume(broadcast_id)


async def test_cancel_skips_the_rest(rig: Rig) -> None:
    matrix = await rig.load(200)
    broadcast_id = await rig.create()
    async with running(rig.worker(concurrency=4)):
        await until(rig, broadcast_id, lambda p: p.delivered >= 20)
        await rig.plans.cancel(broadcast_id)
        done = await until(rig, broadcast_id, lambda p: p.finished_at is not None)
        sent = await settled_sends(rig)

    assert done.status is Status.cancelled
    assert done.delivered == sent < len(matrix)
    assert done.skipped == {"cancelled": len(matrix) - sent} and done.pending == 0
    assert set(per_chat(rig.sim).values()) == {1}
    with pytest.raises(BroadcastError):
        await rig.plans.cancel(broadcast_id)
    with pytest.raises(LookupError):
        await rig.plans.cancel("999999")


async def test_a_scheduled_broadcast_waits_for_its_time(rig: Rig) -> None:
    await rig.load(20)
    at = utcnow() + timedelta(seconds=1.5)
    created = time.monotonic()
    broadcast_id = await rig.create(scheduled_at=at)
    async with running(rig.worker()):
        await asyncio.sleep(0.8)
        early = await rig.plans.progress(broadcast_id)
        assert early is not None and early.status is Status.scheduled
        assert rig.sim.sent == []
        done = await until(rig, broadcast_id, lambda p: p.finished_at is not None)

    assert done.delivered == 20
    assert min(m.at for m in rig.sim.sent) - created >= 1.4
    assert done.started_at is not None and done.started_at >= at


async def test_quiet_hours_hold_posts_back_until_they_end(rig: Rig) -> None:
    await rig.load(20)
    offset = [timedelta(0)]

    def clock() -> datetime:
        return utcnow() + offset[0]

    local = utcnow().astimezone(ZoneInfo("Asia/Shanghai"))
    start, end = (local - timedelta(hours=1)).time(), (local + timedelta(hours=1)).time()
    window = f"{start:%H:%M}-{end:%H:%M}"
    quiet = QuietHours.parse(window, "Asia/Shanghai")
    assert quiet.contains(clock()) and quiet.remaining(clock()) > 3000
    worker = Worker(
        rig.tasks,
        {TELEGRAM: rig.pacer()},
        {
            TELEGRAM: TelegramChannel(
                rig.bot, links=TelegramLinks(rig.bot, BOT_USERNAME), texts=Texts()
            )
        },
        rig.groups,
        EngineOptions(quiet=quiet, **QUICK),
        clock=clock,
        liveness=rig.liveness,
    )
    broadcast_id = await rig.create()
    async with running(worker):
        await asyncio.sleep(0.5)
        assert rig.sim.sent == []  # nothing during quiet hours
        offset[0] = timedelta(hours=2)  # ... and the morning comes
        done = await until(rig, broadcast_id, lambda p: p.finished_at is not None)

    assert done.delivered == 20


async def test_edit_and_withdraw_reach_every_delivered_post(rig: Rig) -> None:
    matrix = await rig.load(20)
    [vacancy] = await rig.vacancy()
    first = await rig.planner.create([vacancy.id], Target())
    await rig.run(first.id)
    gone = matrix[0].chat_id  # someone deleted the post in this group meanwhile
    posted = {m.chat_id: m.message_id for m in rig.sim.sent}
    rig.sim.messages[(gone, posted[gone])].deleted = True
    with pytest.raises(LookupError):
        await rig.planner.edit(first.id + "0")

    await rig.vacancies.set_status(vacancy.id, VacancyStatus.closed)
    edit = await rig.planner.edit(first.id)
    [edited] = await rig.run(edit.id)

    assert edit.action is Action.edit and edit.parent_id == first.id
    assert edited.targeted == 20 and edited.delivered == 19
    assert edited.failed == {"message_gone": 1}
    for chat_id, message_id in posted.items():
        if chat_id != gone:
            now = rig.sim.messages[(chat_id, message_id)]
            assert "已招满" in (now.text or "") and not now.reply_markup  # no apply button

    withdrawal = await rig.planner.withdraw(first.id)
    [withdrawn] = await rig.run(withdrawal.id)

    assert withdrawn.delivered == 19 and withdrawn.failed == {"message_gone": 1}
    assert all(rig.sim.messages_in(g.chat_id) == [] for g in matrix)
    assert len(rig.sim.sent) == 20  # edits and deletions never post anything new


async def test_edit_waits_for_a_running_broadcast(rig: Rig) -> None:
    await rig.load(5)
    broadcast_id = await rig.create()
    with pytest.raises(BroadcastError, match="running"):
        await rig.planner.withdraw(broadcast_id)


async def test_an_idempotency_key_makes_a_retried_create_return_the_same_broadcast(
    rig: Rig,
) -> None:
    await rig.load(10)
    [vacancy] = await rig.vacancy()

    async def create() -> str:
        made = await rig.planner.create([vacancy.id], Target(), key="announce:x")
        return made.id

    ids = await asyncio.gather(*(create() for _ in range(5)))

    assert len(set(ids)) == 1
    total, listed = await rig.plans.recent()
    assert total == 1 and listed[0].targeted == 10


async def test_a_stalled_worker_taken_over_cannot_record_anything(rig: Rig) -> None:
    [group] = await rig.load(1)
    broadcast_id = await rig.create()
    tasks, liveness = rig.tasks, rig.liveness
    await liveness.register("stalled")
    [task] = await tasks.claim(broadcast_id, "stalled", 10)
    assert await tasks.begin(task, "stalled", Action.send) == "go"
    await asyncio.sleep(0.1)

    [(who, requeued, unknown)] = await liveness.reap(0.05, "resend")  # heartbeat too old

    assert (who, requeued, unknown) == ("stalled", 0, 1)
    assert await tasks.delivered(task, "stalled", 42) == "lost"  # fenced off
    assert await liveness.heartbeat("stalled") is False  # ... and it learns it was replaced
    [done] = await rig.run(broadcast_id)
    assert (done.delivered, done.unknown, done.resent) == (1, 1, 1)
    assert len(rig.sim.messages_in(group.chat_id)) == 1


async def test_a_task_the_worker_lost_track_of_is_settled_by_its_audit(rig: Rig) -> None:
    [group] = await rig.load(1)
    broadcast_id = await rig.create()
    worker = rig.worker(heartbeat=0.02)
    # Redis gave the task to the worker, but the reply never reached it.
    [lost] = await rig.tasks.claim(broadcast_id, worker.worker_id, 1)

    async with running(worker):
        done = await until(rig, broadcast_id, lambda p: p.finished_at is not None)

    assert done.delivered == 1 and done.unknown == 0  # it was only held: never sent
    assert len(rig.sim.messages_in(group.chat_id)) == 1
    assert lost.member not in await rig.liveness.held(worker.worker_id)


async def test_redis_restarting_mid_broadcast_loses_nothing(keys: Keys, tmp_path: Path) -> None:
    server = RedisServer(tmp_path)
    await server.start()
    client = Redis.from_url(server.url, decode_responses=True)
    try:
        async with open_rig(client, keys, speed=50.0) as rig:
            matrix = await rig.load(200)
            broadcast_id = await rig.create()
            async with running(rig.worker(rig.pacer(global_rate=5), concurrency=8)):
                await until(rig, broadcast_id, lambda p: p.delivered >= 40)
                await server.kill()
                await asyncio.sleep(1.0)  # sends fail to be recorded, claims fail...
                await server.start()  # ... and are recorded once it is back
                done = await until(rig, broadcast_id, lambda p: p.finished_at is not None)
            sent = per_chat(rig.sim)
            assert set(sent) == {g.chat_id for g in matrix}
            assert done.delivered == len(matrix) and done.failed == {}
            # Every lost reply from Redis was retried until it came back: the scripts are
            # safe to repeat, so nothing is unknown and nothing was sent twice.
            assert done.unknown == 0 and set(sent.values()) == {1}
    finally:
        await client.aclose()
        await server.kill()
