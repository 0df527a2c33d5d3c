"""Moving updates from Telegram into the Dispatcher through the durable inbox.

Webhook and long polling hand raw updates to one ``UpdatePipeline``: it validates an
update, logs it durably (``jobfeed.intake``; only then does the webhook answer 200), and
handles it in this process. Updates of one chat are handled in order (an FSM
conversation must not see its steps reordered); different chats run concurrently.
The pipeline also keeps this receiver's heartbeat and adopts what a dead one left.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.types import Update
from aiogram.types.update import UpdateTypeLookupError
from pydantic import ValidationError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ReadOnlyError, RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.readiness import Readiness
from bot.telegram.handling import HANDLING, Handling
from bot.telegram.reaching import FIRST_BACKOFF, RECEIVING, reach
from jobfeed.dead_letters import DeadLetter, DeadLetters, now
from jobfeed.intake import HEARTBEAT_TTL_SECONDS, Entry, UpdateInbox
from jobfeed.observe import CHAT_ID, UPDATE_ID, Ignore, UpdateObserver
from jobfeed.periodic import sleep_unless

log = logging.getLogger(__name__)
T = TypeVar("T")

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_IN_FLIGHT = 512  # updates being handled at once; receiving waits beyond that


def receiver_name() -> str:
    """Unique per process start: a container restarted in place keeps its hostname and
    pid, and must not inherit (and so never adopt) its predecessor's unhandled updates."""
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(4)}"


def lane_of(update: Update) -> int | str:
    """Updates of one lane are handled in order: a chat, or a user's button presses.
    Raises ``UpdateTypeLookupError`` for an update of no type aiogram knows."""
    event = update.event
    chat = getattr(event, "chat", None)
    if chat is not None:
        return int(chat.id)
    user = getattr(event, "from_user", None)
    return f"user:{user.id}" if user is not None else f"update:{update.update_id}"


# Failures after which handling the update again may succeed. Anything else is a bug
# (or a refusal no retry changes): its update is dead-lettered at once.
TRANSIENT: tuple[type[BaseException], ...] = (
    RedisConnectionError,  # BusyLoadingError included
    RedisTimeoutError,
    ReadOnlyError,  # a replica promoted while we wrote
    TelegramNetworkError,
    TelegramServerError,
    TelegramRetryAfter,
    OSError,
)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """A failing update is handled again after 0.5, 1, 2, 4, 8, 16, 30 s (or Telegram's
    ``retry_after`` if longer): about a minute in all, then it is dead-lettered."""

    attempts: int = 8
    first_delay: float = 0.5
    max_delay: float = 30.0

    def delay(self, failures: int, exc: BaseException) -> float:
        wait = min(self.first_delay * 2.0 ** (failures - 1), self.max_delay)
        if isinstance(exc, TelegramRetryAfter):
            wait = max(wait, float(exc.retry_after))
        return wait


@dataclass(frozen=True, slots=True)
class _Failure:
    error: BaseException
    attempts: int


class UpdatePipeline:
    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        inbox: UpdateInbox,
        dead: DeadLetters,
        retry: RetryPolicy | None = None,
        *,
        observer: UpdateObserver | None = None,
    ) -> None:
        self._dp = dispatcher
        self._observer = observer or Ignore()
        self._bot = bot
        self._inbox = inbox
        self._dead = dead
        self.retry = retry or RetryPolicy()
        self._slots = asyncio.Semaphore(MAX_IN_FLIGHT)
        self._lanes: dict[int | str, tuple[asyncio.Lock, int]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.handled = 0

    def parse(self, raw: str | bytes) -> Update:
        """Raises ValueError for anything that is not an update."""
        try:
            return Update.model_validate_json(raw, context={"bot": self._bot})
        except ValidationError as exc:
            raise ValueError(f"not a Telegram update: {exc.errors()[0]['msg']}") from None

    async def receive(self, update: Update, raw: str) -> bool:
        """Log ``update`` durably and start handling it; False if it was seen before.

        Shielded: a webhook request cancelled while its write is in flight (Telegram hung
        up) must not leave the update logged under this live receiver but never handled.
        """
        return await asyncio.shield(self._log_and_start(update, raw))

    async def _log_and_start(self, update: Update, raw: str) -> bool:
        await self._slots.acquire()
        try:
            entry_id = await self._inbox.accept(update.update_id, raw)
        except BaseException:
            self._slots.release()
            raise
        if entry_id is None:
            self._slots.release()
            return False
        self._observer.received()
        self._start(entry_id, update, raw, again=False)
        return True

    def _start(self, entry_id: str, update: Update, raw: str, *, again: bool) -> None:
        """``again``: it may have been handled in part before (adopted or replayed)."""
        task = asyncio.create_task(self._handle(entry_id, update, raw, again))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, entry_id: str, update: Update, raw: str, again: bool) -> None:
        started = time.perf_counter()
        UPDATE_ID.set(update.update_id)  # this task's log lines name it (bot.logs)
        try:
            try:
                lane = lane_of(update)
            except UpdateTypeLookupError:
                # Nothing of ours can route it (a type newer than aiogram, or forged).
                log.warning("Dropping update %s: not a type this bot handles", update.update_id)
                await self._settle(entry_id, update, raw, None, None)
                self._observer.handled(time.perf_counter() - started, failed=False)
                return
            if isinstance(lane, int):
                CHAT_ID.set(lane)
            async with self._lane(lane):
                handling = Handling(update.update_id, asyncio.current_task())
                failure = await self._attempts(update, handling, again)
                await self._settle(entry_id, update, raw, handling, failure)
                self.handled += 1
                elapsed = time.perf_counter() - started
                self._observer.handled(elapsed, failed=failure is not None)
        finally:
            self._slots.release()

    @contextlib.asynccontextmanager
    async def _lane(self, lane: int | str) -> AsyncIterator[None]:
        """Updates of one lane run one at a time, in arrival order (the lock is FIFO).
        A lane waits while its update waits for a retry: a conversation must not see a
        later message before an earlier one."""
        lock, users = self._lanes.get(lane) or (asyncio.Lock(), 0)
        self._lanes[lane] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._lanes[lane]
            if users == 1:
                del self._lanes[lane]
            else:
                self._lanes[lane] = (lock, users - 1)

    async def _attempts(self, update: Update, handling: Handling, again: bool) -> _Failure | None:
        """Handle ``update``, again after a transient failure, until it succeeds (None)
        or the attempts run out or it fails otherwise (the failure)."""
        policy = self.retry
        for attempt in range(1, policy.attempts + 1):
            token = HANDLING.set(handling)
            handling.made = 0
            try:
                if again and attempt == 1:
                    handling.calls.update(await self._inbox.calls(update.update_id))
                await self._dp.feed_update(self._bot, update)
                return None
            except TRANSIENT as exc:
                if attempt == policy.attempts:
                    return _Failure(exc, attempt)
                delay = policy.delay(attempt, exc)
                log.warning("Update %s failed (%s: %s), attempt %d of %d; again in %.1f s",
                            update.update_id, type(exc).__name__, exc, attempt,
                            policy.attempts, delay)  # fmt: skip
                await asyncio.sleep(delay)
            except Exception as exc:
                # Its id only: updates carry personal data.
                log.exception("Update %s failed; dead-lettered", update.update_id)
                return _Failure(exc, attempt)
            finally:
                HANDLING.reset(token)
        raise AssertionError("unreachable")

    async def _settle(
        self,
        entry_id: str,
        update: Update,
        raw: str,
        handling: Handling | None,
        failure: _Failure | None,
    ) -> None:
        """Delete the entry, or move it to the dead letters; until Redis takes it (on
        shutdown it stays in the stream, and the next receiver handles it again)."""
        remembered = handling is not None and (handling.remembered or bool(handling.calls))
        backoff = 0.5
        while True:
            try:
                if failure is None:
                    await self._inbox.done(entry_id, update.update_id if remembered else None)
                    return
                letter = DeadLetter(
                    update_id=update.update_id,
                    kind=_kind(update),
                    error=f"{type(failure.error).__name__}: {failure.error}"[:500],
                    attempts=failure.attempts,
                    at=now(),
                )
                await self._dead.bury(entry_id, raw, letter, handling.calls if handling else {})
                name = type(failure.error).__name__
                log.error("Update %s dead-lettered after %d attempt(s): %s",
                          update.update_id, failure.attempts, name)  # fmt: skip
                return
            except (RedisError, OSError) as exc:
                log.warning("Cannot settle update %s (%s); again in %.0f s",
                            update.update_id, exc, backoff)  # fmt: skip
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)

    async def replay(self, update_id: int) -> bool:
        """Handle a dead-lettered update again here; False if there is no such one."""
        found = await self._dead.replay(update_id, self._inbox.owner)
        if found is None:
            return False
        entry_id, raw = found
        await self._adopt(Entry(entry_id, raw))
        return True

    async def run(self, stop: asyncio.Event) -> None:
        """Heartbeat, and adopt the updates of receivers that died, until ``stop``."""
        while not stop.is_set():
            try:
                await self._inbox.beat()
                for entry in await self._inbox.adopt_orphans():
                    await self._adopt(entry)
            except (RedisError, OSError) as exc:
                log.warning("Update intake cannot reach Redis: %s", exc)
            await sleep_unless(stop, HEARTBEAT_TTL_SECONDS / 3)
        await self.drain()

    async def _adopt(self, entry: Entry) -> None:
        try:
            update = self.parse(entry.raw)
        except ValueError as exc:  # only our own writes get here: say so, don't loop on it
            log.error("Dropping an unreadable logged update %s: %s", entry.entry_id, exc)
            await self._inbox.done(entry.entry_id)
            return
        log.warning("Handling update %s again (left by a stopped receiver, or replayed)",
                    update.update_id)  # fmt: skip
        await self._slots.acquire()
        self._observer.adopted()
        self._start(entry.entry_id, update, entry.raw, again=True)

    async def drain(self, within: float = 10.0) -> None:
        """Wait for the updates in hand; what is unfinished stays logged for adoption."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=within)


def _kind(update: Update) -> str:
    try:
        return update.event_type
    except UpdateTypeLookupError:
        return "unknown"


class Poller:
    """Long polling that confirms an offset only once its batch is logged.

    Telegram being unreachable, at start or later, is waited out (with backoff, while
    ``readiness`` says why updates are not coming in); it never ends the loop.
    """

    def __init__(
        self,
        bot: Bot,
        pipeline: UpdatePipeline,
        inbox: UpdateInbox,
        allowed_updates: list[str],
        readiness: Readiness | None = None,
    ) -> None:
        self._bot = bot
        self._pipeline = pipeline
        self._inbox = inbox
        self._allowed = allowed_updates
        self._readiness = readiness or Readiness()

    async def run(self, stop: asyncio.Event, poll_seconds: int = 25) -> None:
        if not await self._delete_webhook(stop):
            return
        offset = await self._inbox.get_offset()
        self._readiness.up(RECEIVING)
        while not stop.is_set():
            poll = partial(self._poll, offset, poll_seconds, stop)
            updates = await reach(poll, "getUpdates", stop, self._readiness)
            if updates is None:
                return
            self._readiness.up(RECEIVING)
            try:
                for update in updates:
                    raw = update.model_dump_json(exclude_none=True, by_alias=True)
                    await self._pipeline.receive(update, raw)
                if updates:
                    await self._inbox.set_offset(updates[-1].update_id + 1)
            except (RedisError, OSError) as exc:
                # Not confirmed: Telegram hands the batch out again; what was logged
                # before the failure is recognised by its update_id.
                log.warning("Cannot log updates (%s); retrying in %.0f s", exc, FIRST_BACKOFF)
                await sleep_unless(stop, FIRST_BACKOFF)
                continue
            if updates:
                offset = updates[-1].update_id + 1

    async def _poll(self, offset: int, seconds: int, stop: asyncio.Event) -> list[Update] | None:
        """One long poll; None when stopped meanwhile."""
        call = self._bot.get_updates(
            offset=offset or None, timeout=seconds, allowed_updates=self._allowed
        )
        return await _unless_stopped(call, stop)

    async def _delete_webhook(self, stop: asyncio.Event) -> bool:
        """Telegram refuses getUpdates while a webhook is set; False if stopped first."""
        deleted = await reach(
            lambda: self._bot.delete_webhook(drop_pending_updates=False),
            "deleteWebhook",
            stop,
            self._readiness,
        )
        return deleted is not None


async def _unless_stopped(call: Awaitable[T], stop: asyncio.Event) -> T | None:
    """Await ``call``, or give up on it as soon as ``stop`` is set (a long poll can take 25 s)."""
    task = asyncio.ensure_future(call)
    stopper = asyncio.ensure_future(stop.wait())
    await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        stopper.cancel()
        return task.result()
    task.cancel()
    return None
