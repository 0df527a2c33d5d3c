"""Broadcast workers: claim tasks, pace, send through a channel, record the outcome.

Any number of workers, in one process or many, share one Redis: the plan and every
outcome live in ``BroadcastTasks``, who is alive in ``WorkerLiveness``, the send budgets
in one ``Pacer`` per channel. A task goes to the ``Channel`` its address names
(``channels[task.address.channel]``), paced by that channel's budget. A worker keeps at
most ``concurrency`` sends in flight; that number bounds the sends whose outcome a crash
can leave unknown (and so the duplicates policy ``resend`` can cause).

Over 400 lines on purpose: one ``Worker`` owns the claim → pace → send → record loop,
its heartbeats and the takeover of a dead worker's tasks, which share its in-flight
set and its stop; the pieces that stand alone already live beside it (tasks, liveness,
pacing, quiet hours).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import datetime

from redis.exceptions import RedisError

from jobfeed.broadcast.liveness import UnknownPolicy, WorkerLiveness
from jobfeed.broadcast.models import Action, FailReason, Post, Progress, SkipReason
from jobfeed.broadcast.pacing import Pacer
from jobfeed.broadcast.plans import BroadcastPlans
from jobfeed.broadcast.quiet import QuietHours
from jobfeed.broadcast.sender import (
    Delivered,
    Forbidden,
    Migrated,
    NotFound,
    Rejected,
    RetryAfter,
    SendResult,
    Transient,
    Unknown,
)
from jobfeed.broadcast.tasks import BroadcastTasks, Task
from jobfeed.channels import Address, Channel
from jobfeed.groups import GroupRepository
from jobfeed.models import utcnow
from jobfeed.observe import BROADCAST_ID, CHAT_ID, BroadcastObserver, Ignore

log = logging.getLogger(__name__)

MIN_LATE = 0.005  # seconds: waking up this late is no reason to give a slot up
MIN_PAUSE = 0.001  # seconds: a shorter wait is not worth a trip through the event loop
AUDIT_EVERY = 10  # heartbeats between two looks for held tasks this worker lost track of


@dataclass(frozen=True, slots=True)
class EngineOptions:
    concurrency: int = 32  # sends in flight per worker
    claim_batch: int = 16
    policy: UnknownPolicy = "resend"
    quiet: QuietHours | None = None
    max_attempts: int = 5  # for 5xx and network errors
    backoff: float = 1.0  # seconds before the first retry; doubles each time
    backoff_cap: float = 30.0
    heartbeat: float = 1.0
    dead_after: float = 5.0  # a worker silent this long is taken over
    poll: float = 0.2  # how often an idle worker looks for work
    shutdown_grace: float = 10.0  # how long a stopping worker lets sends finish


@dataclass(slots=True)
class _Tries:
    count: int = 0  # failed attempts (5xx, network, lost replies)
    lost_reply: bool = False


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Worker:
    """One broadcast worker; ``await worker.run(stop)`` until ``stop`` is set."""

    def __init__(
        self,
        store: BroadcastTasks,
        pacers: Mapping[str, Pacer],
        channels: Mapping[str, Channel],
        groups: GroupRepository,
        options: EngineOptions | None = None,
        *,
        liveness: WorkerLiveness,
        clock: Callable[[], datetime] = utcnow,
        observer: BroadcastObserver | None = None,
    ) -> None:
        self._store = store
        self._liveness = liveness
        self._pacers = dict(pacers)
        self._channels = dict(channels)
        self._groups = groups
        self._opt = options or EngineOptions()
        self._clock = clock
        self._observer = observer or Ignore()
        self.worker_id = new_worker_id()
        self._buffer: asyncio.Queue[tuple[str, Task] | None] = asyncio.Queue()
        self._closing = asyncio.Event()
        self._closed: asyncio.Future[None] | None = None  # done when closing; for waits
        self._posts: dict[str, tuple[Action, Post | None]] = {}
        self._known: set[str] = set()  # held tasks this worker has in hand (Task.member)
        self._suspects: set[str] = set()  # held in Redis but unknown here at the last audit
        self.sent = 0  # requests made, for benchmarks and logs
        self.late = 0  # slots given up because we woke up too late to use them

    async def run(self, stop: asyncio.Event) -> None:
        opt = self._opt
        self._closed = asyncio.get_running_loop().create_future()
        await self._liveness.register(self.worker_id)
        await self._reap()
        log.info("Broadcast worker %s started (%d in flight)", self.worker_id, opt.concurrency)
        beat = asyncio.create_task(self._beat(), name="heartbeat")
        feeder = asyncio.create_task(self._feed(), name="feeder")
        senders = [
            asyncio.create_task(self._send_loop(), name=f"sender-{n}")
            for n in range(opt.concurrency)
        ]
        stopper = asyncio.create_task(stop.wait())
        await asyncio.wait([stopper, feeder, *senders], return_when=asyncio.FIRST_COMPLETED)
        stopper.cancel()
        self._close()
        # Sends in flight finish (up to the grace period); held tasks go back to the queue.
        done, pending = await asyncio.wait([feeder, *senders], timeout=opt.shutdown_grace)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        failures = [
            error for t in done if not t.cancelled() and (error := t.exception()) is not None
        ]
        beat.cancel()
        with suppress(asyncio.CancelledError):
            await beat
        requeued, unknown = await self._liveness.hand_back(self.worker_id, opt.policy)
        log.info(
            "Broadcast worker %s stopped: %d tasks handed back, %d sends cut off in flight",
            self.worker_id,
            requeued,
            unknown,
        )
        if failures:
            # A bug, not a delivery problem (those are outcomes): stop loudly, so that a
            # supervisor restarts the process; the work was handed back above.
            raise failures[0]

    # --- liveness ------------------------------------------------------------------------

    async def _beat(self) -> None:
        beats = 0
        while True:
            try:
                if not await self._liveness.heartbeat(self.worker_id):
                    # Declared dead (a stall longer than dead_after): our tasks were taken
                    # over, so what we buffered is stale. Start again under a new name.
                    log.warning("Worker %s was taken over; re-registering", self.worker_id)
                    self._drop_buffer()
                    self.worker_id = new_worker_id()
                    await self._liveness.register(self.worker_id)
                await self._reap()
                beats += 1
                if beats % AUDIT_EVERY == 0:
                    await self._audit()
            except (RedisError, OSError) as exc:
                log.warning("Heartbeat failed: %s", exc)
            await asyncio.sleep(self._opt.heartbeat)

    async def _audit(self) -> None:
        """Settle what Redis says we hold but we do not have in hand, twice in a row: a
        claim whose reply was lost, a task dropped after Redis failed us. Without this it
        would wait for our next restart."""
        orphans = await self._liveness.held(self.worker_id) - self._known
        take, self._suspects = orphans & self._suspects, orphans - self._suspects
        if take:
            requeued, unknown = await self._liveness.take_orphans(
                self.worker_id, take, self._opt.policy
            )
            log.warning(
                "Settled %d lost tasks: %d requeued, %d unknown", len(take), requeued, unknown
            )

    async def _reap(self) -> None:
        for worker_id, requeued, unknown in await self._liveness.reap(
            self._opt.dead_after, self._opt.policy
        ):
            log.warning(
                "Took over dead worker %s: %d tasks requeued, %d sends with unknown outcome",
                worker_id,
                requeued,
                unknown,
            )

    def _close(self) -> None:
        self._closing.set()
        if self._closed is not None and not self._closed.done():
            self._closed.set_result(None)
        # What is buffered stays held in Redis under our name until ``hand_back``.
        self._drop_buffer()
        for _ in range(self._opt.concurrency):
            self._buffer.put_nowait(None)  # wakes every sender up, to stop

    def _drop_buffer(self) -> None:
        stops = 0
        while not self._buffer.empty():
            item = self._buffer.get_nowait()
            if item is None:
                stops += 1
            else:
                self._known.discard(item[1].member)
        for _ in range(stops):
            self._buffer.put_nowait(None)

    # --- claiming ------------------------------------------------------------------------

    async def _feed(self) -> None:
        opt = self._opt
        capacity = opt.concurrency + opt.claim_batch
        turn = 0
        while not self._closing.is_set():
            quiet = self._quiet_left()
            room = capacity - self._buffer.qsize()
            if quiet > 0 or room < min(opt.claim_batch, capacity // 2):
                await self._pause(min(quiet, opt.poll) if quiet > 0 else opt.poll / 4)
                continue
            try:
                due = await self._store.due(self._clock())
                claimed = 0
                if due:
                    # Round robin with an even share each: concurrent broadcasts share
                    # the budget fairly instead of queueing behind each other.
                    turn = (turn + 1) % len(due)
                    share = max(1, min(opt.claim_batch, room // len(due)))
                    worker_id = self.worker_id
                    for broadcast_id in due[turn:] + due[:turn]:
                        tasks = await self._store.claim(broadcast_id, worker_id, share)
                        for task in tasks:
                            self._known.add(task.member)
                            self._buffer.put_nowait((worker_id, task))
                        claimed += len(tasks)
            except (RedisError, OSError) as exc:
                log.warning("Claiming failed: %s", exc)
                claimed = 0
            if not claimed:
                await self._pause(opt.poll)

    def _quiet_left(self) -> float:
        quiet = self._opt.quiet
        return quiet.remaining(self._clock()) if quiet else 0.0

    async def _pause(self, seconds: float) -> None:
        """Sleep, but wake up at once when the worker is stopping."""
        if seconds < MIN_PAUSE or self._closed is None:
            return
        await asyncio.wait((self._closed,), timeout=seconds)

    # --- sending -------------------------------------------------------------------------

    async def _send_loop(self) -> None:
        while True:
            item = await self._buffer.get()
            if item is None:
                return
            worker_id, task = item
            BROADCAST_ID.set(task.broadcast_id)  # named in this sender's log lines
            CHAT_ID.set(task.address.chat_id)
            try:
                if worker_id == self.worker_id:  # else claimed under a name taken over
                    await self._process(task, worker_id)
            except (RedisError, OSError) as exc:
                # The task stays held or in flight under our name: the next audits (or
                # whoever takes over if we die) settle it.
                log.warning("Broadcast %s, group %s: %s", task.broadcast_id, task.group, exc)
                await self._pause(1.0)
            finally:
                self._known.discard(task.member)

    async def _process(self, task: Task, worker_id: str) -> None:
        action, post = await self._what(task.broadcast_id)
        name = task.address.channel
        channel, pacer = self._channels.get(name), self._pacers.get(name)
        if channel is None or pacer is None or not _can(channel, action):
            await self._unable(task, worker_id, action, channel)
            return
        loop = asyncio.get_running_loop()
        max_late = max(1.0 / pacer.limits.global_rate, MIN_LATE)  # about one slot
        tries = _Tries()
        current: Task | None = task
        while current is not None:
            task = current
            if self._closing.is_set() or self._quiet_left() > 0:
                await self._store.release(task, worker_id)
                return
            slot, verdict = await self._store.paced_begin(
                pacer, task, worker_id, action, MIN_PAUSE
            )
            self._observer.paced(0.0 if verdict else slot.wait)
            if not verdict:  # the slot is later: wait for it, then begin
                due = loop.time() + slot.wait
                await self._pause(slot.wait)
                if not slot.granted:
                    continue
                if self._closing.is_set() or loop.time() - due > max_late:
                    # Woken up late (a busy loop, a slow Redis), sending now would bunch
                    # up with the next slots' sends: give the slot up and take a new one.
                    self.late += not self._closing.is_set()
                    await pacer.unused(task.address.chat, slot)
                    continue
                verdict = await self._store.begin(task, worker_id, action)
                if verdict != "go":  # paused, cancelled, left or taken over meanwhile
                    await pacer.unused(task.address.chat, slot)
            if verdict != "go":
                return
            result = await _call(channel, action, task, post)
            await pacer.sent(slot)
            self.sent += 1
            self._observer.sent(task.address.channel, action.value, result)
            current = await self._record(result, task, worker_id, action, tries, pacer=pacer)

    async def _unable(
        self, task: Task, worker_id: str, action: Action, channel: Channel | None
    ) -> None:
        """A task this worker cannot send: no channel (or budget) of its name is configured
        here (failed), or its channel cannot edit or delete (skipped)."""
        if await self._store.begin(task, worker_id, action) != "go":
            return
        if channel is None or task.address.channel not in self._pacers:
            log.warning("No channel %r configured: %s failed", task.address.channel, task.group)
            await self._store.failed(task, worker_id, FailReason.no_channel)
        else:
            await self._store.skipped(task, worker_id, SkipReason.unsupported)

    async def _record(  # noqa: PLR0911, PLR0912 - one branch per kind of result
        self,
        result: SendResult,
        task: Task,
        worker_id: str,
        action: Action,
        tries: _Tries,
        *,
        pacer: Pacer,
    ) -> Task | None:
        """Record what the send did; returns the task to send again, or None when settled."""
        store, opt = self._store, self._opt
        match result:
            case Delivered(message_id=message_id):
                await store.delivered(task, worker_id, message_id)
            case RetryAfter(seconds=seconds, chat_only=True):
                log.info("Flood control: pausing sends to %s for %.0f s", task.address, seconds)
                await pacer.penalize_chat(task.address.chat, seconds)
                return await self._again(store.retry(task, worker_id), task)
            case RetryAfter(seconds=seconds):
                log.info(
                    "Flood control: pausing %s sends for %.0f s", task.address.channel, seconds
                )
                await pacer.penalize(seconds)
                return await self._again(store.retry(task, worker_id), task)
            case Forbidden(reason=reason):
                why = "kicked" if "kicked" in reason else "forbidden"
                await self._groups.deactivate(task.address, why)
                await store.failed(task, worker_id, FailReason.forbidden)
            case NotFound(what="chat"):
                await self._groups.deactivate(task.address, "chat_not_found")
                await store.failed(task, worker_id, FailReason.chat_not_found)
            case NotFound():
                if tries.lost_reply and action is Action.delete:
                    # The earlier delete whose reply was lost did the job.
                    await store.delivered(task, worker_id, task.message_id or 0)
                else:
                    await store.failed(task, worker_id, FailReason.message_gone)
            case Migrated(new_chat_id=new_chat_id):
                new = Address(task.address.channel, str(new_chat_id))
                await self._groups.migrate(task.address, new)
                if action is not Action.send:
                    await store.failed(task, worker_id, FailReason.message_gone)
                    return None
                moved = replace(task, address=new)
                return await self._again(store.migrated(task, worker_id, new), moved)
            case Transient(reason=reason, network=network):
                tries.count += 1
                if tries.count >= opt.max_attempts:
                    log.warning("Chat %s failed %d times: %s", task.address, tries.count, reason)
                    why = FailReason.network if network else FailReason.server_error
                    await store.failed(task, worker_id, why)
                    return None
                again = await self._again(store.retry(task, worker_id), task)
                await self._pause(min(opt.backoff * 2 ** (tries.count - 1), opt.backoff_cap))
                return again
            case Rejected(reason=reason):
                log.warning("Chat %s rejected the post: %s", task.address, reason)
                await store.failed(task, worker_id, FailReason.rejected)
            case Unknown():
                tries.count += 1
                tries.lost_reply = True
                # Edits and deletions are idempotent: repeating one is always safe.
                resend = opt.policy == "resend" or action is not Action.send
                if not resend or tries.count >= opt.max_attempts:
                    await store.unknown(task, worker_id)
                    return None
                return await self._again(store.retry(task, worker_id, lost_reply=True), task)
        return None

    @staticmethod
    async def _again(recorded: Awaitable[str], task: Task) -> Task | None:
        # "lost": another worker took the task over while we were sending; it is theirs.
        return task if await recorded == "retry" else None

    async def _what(self, broadcast_id: str) -> tuple[Action, Post | None]:
        known = self._posts.get(broadcast_id)
        if known is None:
            # A broadcast's post never changes (an edit is a broadcast of its own).
            known = (
                await self._store.action(broadcast_id),
                await self._store.post(broadcast_id),
            )
            if known[1] is not None:
                for channel in self._channels.values():  # before a slot is taken, not after
                    await channel.prepare(known[1])
            self._posts[broadcast_id] = known
        return known


def _can(channel: Channel, action: Action) -> bool:
    can = channel.capabilities
    return {Action.send: can.send, Action.edit: can.edit, Action.delete: can.delete}[action]


async def _call(channel: Channel, action: Action, task: Task, post: Post | None) -> SendResult:
    if action is Action.delete:
        return await channel.delete(task.address, task.message_id or 0)
    assert post is not None  # sends and edits always carry a post
    if action is Action.edit:
        return await channel.edit(task.address, task.message_id or 0, post)
    return await channel.send(task.address, post)


async def run_until_done(
    workers: Sequence[Worker],
    store: BroadcastPlans,
    broadcast_ids: Sequence[str],
    *,
    on_progress: Callable[[list[Progress]], None] | None = None,
    poll: float = 0.2,
) -> list[Progress]:
    """Run ``workers`` in this process until every broadcast has finished (or was cancelled).

    Other workers (processes) may help; these are stopped gracefully at the end.
    """
    stop = asyncio.Event()
    runners = [asyncio.create_task(worker.run(stop)) for worker in workers]
    try:
        while True:
            found = [await store.progress(broadcast_id) for broadcast_id in broadcast_ids]
            progress = [p for p in found if p is not None]
            if len(progress) < len(broadcast_ids):
                raise LookupError("no such broadcast")
            if on_progress is not None:
                on_progress(progress)
            if all(p.finished_at is not None for p in progress):
                return progress
            for runner in runners:
                if runner.done():
                    runner.result()  # a worker that died takes the caller down with it
            await asyncio.sleep(poll)
    finally:
        stop.set()
        await asyncio.gather(*runners, return_exceptions=True)
