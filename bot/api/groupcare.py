"""Group care in the API: each group's welcome and moderation policy, the FAQ entries and
their outcome counts, and the moderation log."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aiohttp import web
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    StringConstraints,
)

from bot.api.groups import ChatPath
from bot.api.registry import Api, ApiError
from bot.appkeys import FAQ, GROUPCARE, MODERATION
from bot.params import MAX_OFFSET, Integer
from jobfeed.groupcare.faq import FaqEntry
from jobfeed.groupcare.moderation import LogEntry
from jobfeed.groupcare.settings import MAX_WELCOME_TEXT, GroupCare, Policy

Line = Annotated[StrictStr, StringConstraints(min_length=1, max_length=200, pattern=r"\S")]


class CareView(BaseModel):
    welcome: bool
    welcome_text: str | None
    policy: Literal["off", "warn", "mute", "ban"]

    @classmethod
    def of(cls, care: GroupCare) -> CareView:
        return cls(welcome=care.welcome, welcome_text=care.welcome_text, policy=care.policy.value)


class CareChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    welcome: StrictBool | None = None
    welcome_text: Annotated[StrictStr, StringConstraints(max_length=MAX_WELCOME_TEXT)] | None = (
        None  # "" goes back to the default rules
    )
    policy: Literal["off", "warn", "mute", "ban"] | None = None


class FaqRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    questions: list[Line] = Field(min_length=1, max_length=30)
    keywords: list[Line] = Field(default_factory=list, max_length=30)
    answer: Annotated[StrictStr, StringConstraints(min_length=1, max_length=2000, pattern=r"\S")]
    group: StrictInt | None = Field(default=None, ge=-(2**63 - 1), le=-1)  # a group's id


class FaqPath(BaseModel):
    faq_id: Integer = Field(ge=1, le=2**53)


class FaqList(BaseModel):
    entries: list[FaqEntry]


class RecentQuestion(BaseModel):
    question: str
    group: int | None


class FaqStats(BaseModel):
    answered: int
    escalated: int
    unanswered: int
    recent_unanswered: list[RecentQuestion]


class LogQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    offset: Integer = Field(default=0, ge=0, le=MAX_OFFSET)
    limit: Integer = Field(default=50, ge=1, le=500)


class ModerationLog(BaseModel):
    total: int
    entries: list[LogEntry]


def setup(api: Api) -> None:
    @api.route(
        "GET",
        "/api/groups/{chat_id}/care",
        summary="A group's welcome (on/off, text) and moderation policy",
        tag="groups",
        path_params=ChatPath,
        response=CareView,
    )
    async def get_care(request: web.Request, path: ChatPath) -> Any:
        return CareView.of(await request.app[GROUPCARE].of(path.chat_id))

    @api.route(
        "PATCH",
        "/api/groups/{chat_id}/care",
        summary="Change a group's welcome or moderation policy",
        tag="groups",
        path_params=ChatPath,
        body=CareChange,
        response=CareView,
    )
    async def change_care(request: web.Request, path: ChatPath, body: CareChange) -> Any:
        care = request.app[GROUPCARE]
        if body.welcome is not None:
            await care.set_welcome(path.chat_id, body.welcome)
        if body.welcome_text is not None:
            await care.set_welcome_text(path.chat_id, body.welcome_text or None)
        if body.policy is not None:
            await care.set_policy(path.chat_id, Policy(body.policy))
        return CareView.of(await care.of(path.chat_id))

    @api.route("GET", "/api/faq", summary="The FAQ entries", tag="faq", response=FaqList)
    async def list_faq(request: web.Request) -> Any:
        return FaqList(entries=await request.app[FAQ].entries())

    @api.route(
        "POST",
        "/api/faq",
        summary="Add an FAQ entry (global, or for one group)",
        tag="faq",
        body=FaqRequest,
        response=FaqEntry,
        status=201,
    )
    async def add_faq(request: web.Request, body: FaqRequest) -> Any:
        entry = FaqEntry(questions=body.questions, keywords=body.keywords,
                         answer=body.answer, group=body.group)  # fmt: skip
        return await request.app[FAQ].add(entry)

    @api.route(
        "DELETE",
        "/api/faq/{faq_id}",
        summary="Remove an FAQ entry",
        tag="faq",
        path_params=FaqPath,
        response=FaqList,
        errors={404: "no such entry"},
    )
    async def remove_faq(request: web.Request, path: FaqPath) -> Any:
        if not await request.app[FAQ].remove(path.faq_id):
            raise ApiError(404, "no such entry")
        return FaqList(entries=await request.app[FAQ].entries())

    @api.route(
        "GET",
        "/api/stats/faq",
        summary="Questions answered, escalated and unanswered; the latest unanswered ones",
        tag="faq",
        response=FaqStats,
    )
    async def faq_stats(request: web.Request) -> Any:
        return FaqStats.model_validate(await request.app[FAQ].stats())

    @api.route(
        "GET",
        "/api/moderation/log",
        summary="Every moderation action (deleted, reported, warned, muted, banned, restored)",
        tag="groups",
        query=LogQuery,
        response=ModerationLog,
    )
    async def moderation_log(request: web.Request, query: LogQuery) -> Any:
        total, entries = await request.app[MODERATION].recent(query.offset, query.limit)
        return ModerationLog(total=total, entries=entries)
