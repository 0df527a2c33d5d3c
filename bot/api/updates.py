"""``/api/updates/dead``: updates that could not be handled, and replaying them."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from pydantic import BaseModel

from bot.api.registry import Api, ApiError
from bot.appkeys import PIPELINE, SERVICES
from jobfeed.dead_letters import DeadLetter, DeadLetters

MAX_SHOWN = 500


class DeadLetterList(BaseModel):
    total: int
    updates: list[DeadLetter]


class Replayed(BaseModel):
    update_id: int
    replayed: bool


def setup(api: Api) -> None:
    @api.route(
        "GET",
        "/api/updates/dead",
        summary="Updates given up on (newest first, at most 500), with the error",
        tag="updates",
        response=DeadLetterList,
    )
    async def dead_updates(request: web.Request) -> Any:
        services = request.app[SERVICES]
        dead = DeadLetters(services.redis, services.keys)
        return DeadLetterList(total=await dead.count(), updates=await dead.newest(MAX_SHOWN))

    @api.route(
        "POST",
        "/api/updates/dead/{update_id}/replay",
        summary="Handle a dead-lettered update again (calls already made are not repeated)",
        tag="updates",
        response=Replayed,
    )
    async def replay_update(request: web.Request) -> Any:
        raw = request.match_info["update_id"]
        if not (raw.isascii() and raw.isdecimal()) or len(raw) > 18:
            raise ApiError(400, f"update_id must be a non-negative integer, got {raw!r}")
        update_id = int(raw)
        if not await request.app[PIPELINE].replay(update_id):
            raise ApiError(404, "no such dead-lettered update")
        return Replayed(update_id=update_id, replayed=True)
