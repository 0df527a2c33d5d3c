"""Pushes queued updates to the bot's webhook, one at a time and in order.

Like Telegram, a non-2xx answer or a network error keeps the update at the head of the
queue and is retried after a short backoff; a 2xx answer may carry a Bot API call
(`{"method": ...}` as JSON or a multipart form, which aiogram produces), and that call is
executed as if the bot had made it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import ClientError, ClientResponse, ClientSession, ClientTimeout, MultipartReader

from .dispatch import ApiDispatcher
from .params import Params, read_multipart
from .updates import UpdateQueue, Webhook

logger = logging.getLogger(__name__)

FIRST_BACKOFF = 0.05
MAX_BACKOFF = 1.0
POST_TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class Attempt:
    update_id: int
    status: int | None  # None: the connection failed
    at: float


class WebhookPusher:
    def __init__(self, updates: UpdateQueue, dispatcher: ApiDispatcher) -> None:
        self.updates = updates
        self.dispatcher = dispatcher
        self.attempts: list[Attempt] = []

    async def run(self) -> None:
        async with ClientSession(timeout=ClientTimeout(total=POST_TIMEOUT)) as session:
            backoff = FIRST_BACKOFF
            while not self.updates.closed:
                hook = self.updates.webhook
                batch = self.updates.ready(1) if hook is not None else []
                if hook is None or not batch:
                    await self.updates.changed()
                    continue
                if await self._post(session, hook, batch[0]):
                    self.updates.pop_delivered(batch[0])
                    backoff = FIRST_BACKOFF
                else:
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, MAX_BACKOFF)

    async def _post(self, session: ClientSession, hook: Webhook, update: dict[str, Any]) -> bool:
        headers = {"Content-Type": "application/json"}
        if hook.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = hook.secret_token
        body = json.dumps(update, ensure_ascii=False).encode()
        try:
            async with session.post(hook.url, data=body, headers=headers) as resp:
                self.attempts.append(Attempt(update["update_id"], resp.status, time.monotonic()))
                if 200 <= resp.status < 300:
                    await self._run_reply(hook, resp)
                    return True
                error = f"Wrong response from the webhook: {resp.status} {resp.reason}"
        except (ClientError, TimeoutError) as exc:
            self.attempts.append(Attempt(update["update_id"], None, time.monotonic()))
            error = f"Connection failed: {type(exc).__name__}"
        hook.last_error_date = int(time.time())
        hook.last_error_message = error
        logger.debug("webhook delivery of update %s failed: %s", update["update_id"], error)
        return False

    async def _run_reply(self, hook: Webhook, resp: ClientResponse) -> None:
        fields: dict[str, Any] = {}
        try:
            if resp.content_type == "multipart/form-data":
                fields = await read_multipart(MultipartReader(resp.headers, resp.content))
            elif resp.content_type == "application/json":
                body = await resp.json()
                fields = body if isinstance(body, dict) else {}
        except (ClientError, ValueError) as exc:
            logger.debug("unreadable webhook reply ignored: %s", exc)
            return
        method = fields.pop("method", None)
        if isinstance(method, str) and method:
            await self.dispatcher.call(hook.token, method, Params(fields))
