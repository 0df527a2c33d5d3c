"""Runs one Bot API call against the simulator: faults, the handler, bookkeeping."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .context import SimContext
from .errors import ApiError, server_error
from .faults import SEND_METHODS
from .models import Rejection
from .params import Params

Handler = Callable[[SimContext, str, Params], Awaitable[Any]]
TOKEN_PATTERN = r"\d+:[A-Za-z0-9_-]{30,}"


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    payload: dict[str, Any]
    drop: bool = False  # close the connection instead of answering


class ApiDispatcher:
    def __init__(self, ctx: SimContext, table: Mapping[str, tuple[str, Handler]]) -> None:
        self.ctx = ctx
        self._table = table
        self._tokens: set[str] = set()

    def valid_token(self, token: str) -> bool:
        if token in self._tokens:
            return True
        if re.fullmatch(TOKEN_PATTERN, token) is None:
            return False
        self._tokens.add(token)
        return True

    async def call(self, token: str, method: str, params: Params) -> Reply:
        key = method.lower()
        entry = self._table.get(key)
        if entry is None:
            self.ctx.stats.requests[method] += 1
            return self.reject(method, params, ApiError(404, "Not Found"))
        name, handler = entry
        stats, faults = self.ctx.stats, self.ctx.faults
        stats.requests[name] += 1
        if faults.latency > 0:
            await asyncio.sleep(faults.latency)
        if faults.stalls(key, params.raw("chat_id")):
            await faults.hang()
            return self.reject(name, params, server_error(502))
        planned = faults.take(key)
        if planned is not None:
            return self.reject(name, params, planned)
        try:
            result = await handler(self.ctx, token, params)
        except ApiError as error:
            return self.reject(name, params, error)
        stats.count_by_status[200] += 1
        drop = key in SEND_METHODS and faults.should_drop()
        return Reply(200, {"ok": True, "result": result}, drop)

    def reject(self, method: str, params: Params | None, error: ApiError) -> Reply:
        chat_id: Any = params.raw("chat_id") if params is not None else None
        if isinstance(chat_id, str):
            chat_id = int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id
        stats = self.ctx.stats
        stats.count_by_status[error.code] += 1
        stats.rejections.append(Rejection(method, chat_id, error.code, error.description))
        return Reply(error.code, error.payload())
