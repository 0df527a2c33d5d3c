"""``/api/updates/dead``: updates that could not be handled, and replaying them."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from pydantic import BaseModel, Field

from bot.api.registry import Api, ApiError
from bot.appkeys import DEAD_LETTERS, PIPELINE
from bot.params import Integer
from jobfeed.dead_letters import DeadLetter

MAX_SHOWN = 500


class DeadLetterList(BaseModel):
    total: int
    updates: list[DeadLetter]


class UpdatePath(BaseModel):
    update_id: Integer = Field(ge=0, le=2**53)


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
        dead = request.app[DEAD_LETTERS]
        return DeadLetterList(total=await dead.count(), updates=await dead.newest(MAX_SHOWN))

    @api.route(
        "POST",
        "/api/updates/dead/{update_id}/replay",
        summary="Handle a dead-lettered update again (calls already made are not repeated)",
        tag="updates",
        path_params=UpdatePath,
        response=Replayed,
        errors={404: "no such dead-lettered update"},
    )
    async def replay_update(request: web.Request, path: UpdatePath) -> Any:
        update_id = path.update_id
        if not await request.app[PIPELINE].replay(update_id):
            raise ApiError(404, "no such dead-lettered update")
        return Replayed(update_id=update_id, replayed=True)
