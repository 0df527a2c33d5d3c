"""``/api/groups``: the group matrix, filtered by tag, and tagging."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from bot.api.registry import Api, ApiError
from bot.appkeys import GROUPS
from bot.params import INT64_MAX, Integer
from jobfeed.models import Group, GroupFilter, GroupKind, GroupTags


class GroupQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: list[GroupKind] = []
    city: list[str] = []
    province: list[str] = []
    industry: list[str] = []
    active: bool | None = None


class ChatPath(BaseModel):
    chat_id: Integer = Field(ge=-INT64_MAX, le=INT64_MAX, description="Telegram chat id")


class GroupList(BaseModel):
    total: int
    groups: list[Group]


def setup(api: Api) -> None:
    @api.route(
        "GET",
        "/api/groups",
        summary="List groups, filtered by tags",
        tag="groups",
        query=GroupQuery,
        response=GroupList,
    )
    async def list_groups(request: web.Request, query: GroupQuery) -> Any:
        groups = await request.app[GROUPS].all()
        target = GroupFilter(
            kind=query.kind, city=query.city, province=query.province, industries=query.industry
        )
        selected = [
            g
            for g in groups
            if target.matches(g.model_copy(update={"active": True}))
            and (query.active is None or g.active == query.active)
        ]
        return GroupList(total=len(selected), groups=selected)

    @api.route(
        "GET",
        "/api/groups/{chat_id}",
        summary="One group",
        tag="groups",
        path_params=ChatPath,
        response=Group,
    )
    async def get_group(request: web.Request, path: ChatPath) -> Any:
        group = await request.app[GROUPS].get(path.chat_id)
        if group is None:
            raise ApiError(404, "no such group")
        return group

    @api.route(
        "PATCH",
        "/api/groups/{chat_id}",
        summary="Set a group's tags",
        tag="groups",
        path_params=ChatPath,
        body=GroupTags,
        response=Group,
    )
    async def tag_group(request: web.Request, path: ChatPath, body: GroupTags) -> Any:
        group = await request.app[GROUPS].tag(path.chat_id, body)
        if group is None:
            raise ApiError(404, "no such group")
        return group
