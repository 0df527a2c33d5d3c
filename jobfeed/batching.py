"""Calls made in the same event-loop turn, sent to Redis together.

``Coalescer`` is the mechanism: each caller awaits its own result, and what was queued
in one turn goes out as one batch (a pipeline of scripts, one ``XDEL`` of many ids, a
script over several updates). A caller that stopped waiting before its batch left is
not sent at all; a batch that fails fails every caller still waiting.

``ScriptBatcher`` is the common use: each call stays one atomic script with its own
result; only the round trip is shared. A worker with 64 sends in flight makes most of
its calls in bursts, and a pipelined call costs a quarter of the client CPU of a lone
one (measured: ~20 µs against ~80 µs).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redis.exceptions import NoScriptError, RedisError

Item = TypeVar("Item")
Result = TypeVar("Result")

MAX_BATCH = 128


@dataclass(eq=False)
class Call(Generic[Item, Result]):
    item: Item
    future: asyncio.Future[Result]

    @property
    def wanted(self) -> bool:
        """False once the caller has stopped waiting (it was cancelled)."""
        return not self.future.done()


# A batch returns one entry per call: the call's result, or the exception to raise in it.
Batch = Callable[[list[Call[Item, Result]]], Awaitable[Sequence[Result | BaseException]]]


class Coalescer(Generic[Item, Result]):
    def __init__(self, batch: Batch[Item, Result], *, max_batch: int = MAX_BATCH) -> None:
        self._batch = batch
        self._max_batch = max_batch
        self._queue: list[Call[Item, Result]] = []
        self._scheduled = False
        self._tasks: set[asyncio.Task[None]] = set()

    async def __call__(self, item: Item) -> Result:
        return await self.submit(item)

    def submit(self, item: Item) -> asyncio.Future[Result]:
        """Queue ``item`` and return its future without waiting for it (a caller that
        does not need the result: it goes out with this turn's batch all the same)."""
        loop = asyncio.get_running_loop()
        call: Call[Item, Result] = Call(item, loop.create_future())
        self._queue.append(call)
        if not self._scheduled:
            self._scheduled = True
            loop.call_soon(self._flush)  # after every caller ready in this turn has queued
        return call.future

    def _flush(self) -> None:
        self._scheduled = False
        while self._queue:
            batch = self._queue[: self._max_batch]
            self._queue = self._queue[self._max_batch :]
            task = asyncio.create_task(self._run(batch))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _run(self, batch: list[Call[Item, Result]]) -> None:
        batch = [call for call in batch if call.wanted]
        if not batch:
            return
        try:
            results = await self._batch(batch)
        except BaseException as exc:  # every waiting caller hears of it
            for call in batch:
                if call.wanted:
                    call.future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return
        for call, result in zip(batch, results, strict=True):
            if not call.wanted:
                continue  # the caller was cancelled meanwhile
            if isinstance(result, BaseException):
                call.future.set_exception(result)
            else:
                call.future.set_result(result)


_Script = tuple[AsyncScript, Sequence[Any], Sequence[Any]]


class ScriptBatcher:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._calls: Coalescer[_Script, Any] = Coalescer(self._run)

    async def __call__(self, script: AsyncScript, keys: Sequence[Any], args: Sequence[Any]) -> Any:
        return await self._calls((script, keys, args))

    def submit(
        self, script: AsyncScript, keys: Sequence[Any], args: Sequence[Any]
    ) -> asyncio.Future[Any]:
        """The call, not waited for: its future holds the result or the error."""
        return self._calls.submit((script, keys, args))

    async def _run(self, batch: list[Call[_Script, Any]]) -> list[Any]:
        async with self._redis.pipeline(transaction=False) as pipe:
            for call in batch:
                script, keys, args = call.item
                pipe.evalsha(script.sha, len(keys), *keys, *args)
            results = await pipe.execute(raise_on_error=False)
        outcomes: list[Any] = []
        for call, result in zip(batch, results, strict=True):
            outcome = result
            if isinstance(outcome, NoScriptError) and call.wanted:
                # The server does not know the script yet (first use, a restart): this
                # call loads it; its evalsha did nothing.
                script, keys, args = call.item
                try:
                    outcome = await script(keys=keys, args=args)
                except (RedisError, OSError) as exc:
                    outcome = exc
            outcomes.append(outcome)
        return outcomes
