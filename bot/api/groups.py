"""``/api/groups``: the group matrix, filtered by tag, and tagging."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from pydantic import BaseModel, ConfigDict

from bot.api.registry import Api, ApiError
from bot.appkeys import SERVICES
from jobfeed.models import Group, GroupFilter, GroupKind, GroupTags


class GroupQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: list[GroupKind] = []
    city: list[str] = []
    province: list[str] = []
    industry: list[str] = []
    active: bool | None = None


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
        groups = await request.app[SERVICES].groups.all()
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

    @api.route("GET", "/api/groups/{chat_id}", summary="One group", tag="groups", response=Group)
    async def get_group(request: web.Request) -> Any:
        group = await request.app[SERVICES].groups.get(_chat_id(request))
        if group is None:
            raise ApiError(404, "no such group")
        return group

    @api.route(
        "PATCH",
        "/api/groups/{chat_id}",
        summary="Set a group's tags",
        tag="groups",
        body=GroupTags,
        response=Group,
    )
    async def tag_group(request: web.Request, body: GroupTags) -> Any:
        group = await request.app[SERVICES].groups.tag(_chat_id(request), body)
        if group is None:
            raise ApiError(404, "no such group")
        return group


def _chat_id(request: web.Request) -> int:
    raw = request.match_info["chat_id"]
    try:
        return int(raw)
    except ValueError:
        raise ApiError(400, f"chat_id must be an integer, got {raw!r}") from None
