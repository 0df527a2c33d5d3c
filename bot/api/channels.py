"""``/api/channels/{channel}/dead``: inbound messages of a channel (e.g. the Official
Account's ``wechat-oa``) that were acknowledged but could not be handled, and replaying
them (``jobfeed.inbound``)."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from pydantic import BaseModel, Field

from bot.api.registry import Api, ApiError
from bot.appkeys import KEYS, REDIS
from jobfeed.channels import CHANNEL_NAME
from jobfeed.inbound import InboundKeeper, Kept

MAX_SHOWN = 500


class ChannelPath(BaseModel):
    channel: str = Field(pattern=f"^{CHANNEL_NAME.pattern}$", description="e.g. wechat-oa")


class MessagePath(ChannelPath):
    key: str = Field(pattern=r"^[A-Za-z0-9_:.\-]{1,200}$", description="the message's key")


class KeptList(BaseModel):
    total: int
    messages: list[Kept]


class ReplayedMessage(BaseModel):
    key: str
    replayed: bool


def _keeper(request: web.Request, channel: str) -> InboundKeeper:
    return InboundKeeper(request.app[REDIS], request.app[KEYS], channel)


def setup(api: Api) -> None:
    @api.route(
        "GET",
        "/api/channels/{channel}/dead",
        summary="A channel's acknowledged messages given up on (newest first, at most 500)",
        tag="updates",
        path_params=ChannelPath,
        response=KeptList,
    )
    async def dead_messages(request: web.Request, path: ChannelPath) -> Any:
        dead = await _keeper(request, path.channel).dead()
        return KeptList(total=len(dead), messages=dead[:MAX_SHOWN])

    @api.route(
        "POST",
        "/api/channels/{channel}/dead/{key}/replay",
        summary="Work a dead-lettered message out again (the sweeper takes it within seconds)",
        tag="updates",
        path_params=MessagePath,
        response=ReplayedMessage,
        errors={404: "no such dead-lettered message"},
    )
    async def replay_message(request: web.Request, path: MessagePath) -> Any:
        if not await _keeper(request, path.channel).replay(path.key):
            raise ApiError(404, "no such dead-lettered message")
        return ReplayedMessage(key=path.key, replayed=True)
