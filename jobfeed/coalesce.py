"""Calls made in the same event-loop turn, merged into one batch call.

Callers await their own result; the batch function gets the items in arrival order and
returns one result per item. Used where each caller's work is one line of a command
that takes many (``XDEL id id ...``, a script over several updates): the command costs
about the same for one item as for fifty.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MAX_BATCH = 256


class Coalescer(Generic[Item, Result]):
    def __init__(self, batch: Callable[[list[Item]], Awaitable[list[Result]]]) -> None:
        self._batch = batch
        self._queue: list[tuple[Item, asyncio.Future[Result]]] = []
        self._scheduled = False
        self._tasks: set[asyncio.Task[None]] = set()

    async def __call__(self, item: Item) -> Result:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Result] = loop.create_future()
        self._queue.append((item, future))
        if not self._scheduled:
            self._scheduled = True
            loop.call_soon(self._flush)  # after every caller ready in this turn has queued
        return await future

    def _flush(self) -> None:
        self._scheduled = False
        while self._queue:
            batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
            task = asyncio.create_task(self._run(batch))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _run(self, batch: list[tuple[Item, asyncio.Future[Result]]]) -> None:
        try:
            results = await self._batch([item for item, _ in batch])
        except BaseException as exc:  # every caller hears of it; nothing is swallowed
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)
