"""What every Bot API call made while handling an update goes through.

``UpdatePipeline`` marks the task that handles an update (``HANDLING``); a request
middleware on the bot's session (``ReplyGuard``) then, for calls made from that task:

- waits out Telegram's flood control (429 ``retry_after``), up to ``MAX_FLOOD_WAIT``
  per call; beyond that the 429 is raised and the pipeline handles the update again
  later, so a reply is delayed, never silently lost;
- numbers the call (``index:method``) and remembers its result, in memory and in Redis,
  so that handling the same update again (a retry, an adoption after a crash, a replay
  from the dead letters) answers the calls already made from memory instead of sending
  them twice.

Other tasks (broadcast workers, which pace themselves) are not touched.
"""

from __future__ import annotations

import asyncio
import logging
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from pydantic import TypeAdapter
from redis.exceptions import RedisError

from jobfeed.intake import UpdateInbox

log = logging.getLogger(__name__)

MAX_FLOOD_WAIT = 30.0  # seconds one call may wait in all for Telegram's flood control
_READ_ONLY = ("get",)  # getMe, getChat, getChatMember...: nothing to repeat or remember


@dataclass(slots=True)
class Handling:
    """One update being handled; ``calls`` outlives an attempt (results by call key)."""

    update_id: int
    task: asyncio.Task[Any] | None
    calls: dict[str, str] = field(default_factory=dict)
    made: int = 0  # calls numbered in this attempt
    remembered: bool = False  # something was written to Redis for this update

    def next_call(self, method: str) -> str:
        self.made += 1
        return f"{self.made}:{method}"


HANDLING: ContextVar[Handling | None] = ContextVar("handling", default=None)


class ReplyGuard(BaseRequestMiddleware):
    def __init__(self, inbox: UpdateInbox, max_wait: float = MAX_FLOOD_WAIT) -> None:
        self._inbox = inbox
        self._max_wait = max_wait
        self._adapters: dict[Any, TypeAdapter[Any]] = {}

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        handling = HANDLING.get()
        if handling is None or handling.task is not asyncio.current_task():
            return await make_request(bot, method)
        name = method.__api_method__
        if name.startswith(_READ_ONLY):
            return await self._patiently(make_request, bot, method)
        call = handling.next_call(name)
        adapter = self._adapter(method.__returning__)
        known = handling.calls.get(call)
        if known is not None:
            log.info("Update %s: call %s was made before; not repeated", handling.update_id, call)
            known_result: Response[TelegramType] = adapter.validate_json(
                known, context={"bot": bot}
            )
            return known_result
        result = await self._patiently(make_request, bot, method)
        stored = adapter.dump_json(result, by_alias=True, exclude_none=True).decode()
        handling.calls[call] = stored
        try:
            await self._inbox.remember_call(handling.update_id, call, stored)
            handling.remembered = True
        except RedisError as exc:  # still remembered here, for this process's retries
            log.warning("Update %s: call %s not remembered in Redis: %s", handling.update_id,
                        call, exc)  # fmt: skip
        return result

    async def _patiently(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._max_wait
        while True:
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if loop.time() + exc.retry_after > deadline:
                    raise
                await asyncio.sleep(exc.retry_after)

    def _adapter(self, returning: Any) -> TypeAdapter[Any]:
        adapter = self._adapters.get(returning)
        if adapter is None:
            adapter = self._adapters[returning] = TypeAdapter(returning)
        return adapter
