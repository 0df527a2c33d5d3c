"""Moving updates from Telegram into the Dispatcher through the durable inbox.

Webhook and long polling both only *enqueue*; ``UpdateConsumer`` feeds the
Dispatcher from the inbox. Updates of one chat are handled in order (an FSM
conversation must not see its steps reordered); different chats run concurrently.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
import socket
from collections import defaultdict
from collections.abc import Awaitable
from typing import Any, TypeVar

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiohttp import web

from jobfeed.intake import Entry, UpdateInbox

log = logging.getLogger(__name__)
T = TypeVar("T")

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def consumer_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def lane_of(update: dict[str, Any]) -> str:
    for kind in ("message", "edited_message", "my_chat_member", "chat_member", "channel_post"):
        if kind in update:
            return f"chat:{update[kind]['chat']['id']}"
    for kind in ("callback_query", "inline_query", "pre_checkout_query"):
        if kind in update:
            return f"user:{update[kind]['from']['id']}"
    return f"update:{update.get('update_id')}"


class UpdateConsumer:
    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        inbox: UpdateInbox,
        *,
        batch: int = 200,
        stale_ms: int = 15_000,
        lanes: int = 32,
    ) -> None:
        self._dp = dispatcher
        self._bot = bot
        self._inbox = inbox
        self._batch = batch
        self._stale_ms = stale_ms
        self._name = consumer_name()
        self._lanes = asyncio.Semaphore(lanes)
        self.processed = 0

    async def run(self, stop: asyncio.Event) -> None:
        await self._inbox.ensure_group()
        while not stop.is_set():
            entries = await self._inbox.take(
                self._name, self._batch, block_ms=500, stale_ms=self._stale_ms
            )
            if entries:
                await self._handle(entries)

    async def _handle(self, entries: list[Entry]) -> None:
        lanes: dict[str, list[Entry]] = defaultdict(list)
        for entry in entries:
            lanes[lane_of(entry.update)].append(entry)
        await asyncio.gather(*(self._run_lane(lane) for lane in lanes.values()))
        await self._inbox.done([entry.entry_id for entry in entries])
        self.processed += len(entries)

    async def _run_lane(self, entries: list[Entry]) -> None:
        async with self._lanes:
            await self._feed(entries)

    async def _feed(self, entries: list[Entry]) -> None:
        for entry in entries:
            try:
                await self._dp.feed_raw_update(self._bot, entry.update)
            except Exception:
                # The update is acknowledged anyway: one poisonous update must not
                # block its chat forever. Log its id only: updates carry personal data.
                log.exception("Handling update %s failed", entry.update.get("update_id"))


class Poller:
    """Long polling that only enqueues, and confirms an offset once the batch is durable."""

    def __init__(self, bot: Bot, inbox: UpdateInbox, allowed_updates: list[str]) -> None:
        self._bot = bot
        self._inbox = inbox
        self._allowed = allowed_updates

    async def run(self, stop: asyncio.Event, poll_seconds: int = 25) -> None:
        await self._bot.delete_webhook(drop_pending_updates=False)
        offset = await self._inbox.get_offset()
        backoff = 1.0
        while not stop.is_set():
            try:
                updates = await _unless_stopped(
                    self._bot.get_updates(
                        offset=offset or None, timeout=poll_seconds, allowed_updates=self._allowed
                    ),
                    stop,
                )
            except TelegramRetryAfter as exc:
                await asyncio.sleep(exc.retry_after)
                continue
            except (TelegramNetworkError, TelegramServerError) as exc:
                log.warning(
                    "getUpdates failed (%s); retrying in %.0f s", type(exc).__name__, backoff
                )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30)
                continue
            backoff = 1.0
            if updates is None:
                return
            if not updates:
                continue
            raw = [u.model_dump(mode="json", exclude_none=True, by_alias=True) for u in updates]
            await self._inbox.put(raw)
            offset = updates[-1].update_id + 1
            await self._inbox.set_offset(offset)


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


def webhook_handler(inbox: UpdateInbox, secret: str) -> Any:
    expected = secret.encode()

    async def handle(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            return web.json_response({"error": "unauthorized"}, status=401)
        try:
            update = await request.json()
        except ValueError:
            return web.json_response({"error": "body is not JSON"}, status=400)
        if not isinstance(update, dict):
            return web.json_response({"error": "an update is a JSON object"}, status=400)
        try:
            await inbox.put([update])
        except ValueError as exc:
            return web.json_response({"error": str(exc)}, status=400)
        return web.json_response({})

    return handle
