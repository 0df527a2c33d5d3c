"""``/api/broadcasts``: preview, create, follow and control broadcasts; edit or withdraw posts."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.api.registry import Api, ApiError
from bot.appkeys import PLANNER, PLANS, VACANCIES
from bot.params import MAX_OFFSET, Integer
from jobfeed.broadcast.models import GroupOutcome, Progress, Target
from jobfeed.broadcast.planner import PlanError, held_message
from jobfeed.broadcast.plans import BroadcastError
from jobfeed.models import Group, Vacancy, VacancyId, VacancyStatus

SAMPLE = 20
# The pattern keeps ``/api/broadcasts/preview`` from also matching the id route (whose
# GET would then appear in the path's ``Allow``); a malformed id is a 404.
ID_PATTERN = "[0-9]{1,19}"
BY_ID = "/api/broadcasts/{broadcast_id:" + ID_PATTERN + "}"
OutcomeState = Literal["queued", "held", "sending", "delivered", "failed", "skipped"]


class PreviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target: Target = Field(default_factory=Target)


class Preview(BaseModel):
    targeted: int
    target: str
    sample: list[Group]  # the first groups, to check the targeting by eye


class CreateBroadcast(BaseModel):
    model_config = ConfigDict(extra="forbid")

    vacancy_ids: list[VacancyId] = Field(
        min_length=1, max_length=10, json_schema_extra={"uniqueItems": True}
    )
    target: Target = Field(default_factory=Target)
    scheduled_at: datetime | None = None
    # Idempotency: a retried request with the same key returns the same broadcast.
    key: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_:.-]{1,100}$")

    @field_validator("scheduled_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("scheduled_at needs a UTC offset, e.g. 2026-11-24T09:00:00+08:00")
        return value


class BroadcastList(BaseModel):
    total: int
    broadcasts: list[Progress]


class ListQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    offset: Integer = Field(default=0, ge=0, le=MAX_OFFSET)
    limit: Integer = Field(default=50, ge=1, le=500)


class OutcomeQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    state: list[OutcomeState] = []
    offset: Integer = Field(default=0, ge=0, le=MAX_OFFSET)
    limit: Integer = Field(default=500, ge=1, le=5000)


class BroadcastPath(BaseModel):
    broadcast_id: str = Field(pattern=f"^{ID_PATTERN}$")


class OutcomeList(BaseModel):
    total: int
    groups: list[GroupOutcome]


def setup(api: Api) -> None:
    @api.route(
        "POST",
        "/api/broadcasts/preview",
        summary="How many active groups a target matches now",
        tag="broadcasts",
        body=PreviewRequest,
        response=Preview,
    )
    async def preview_broadcast(request: web.Request, body: PreviewRequest) -> Any:
        groups = await request.app[PLANNER].preview(body.target)
        return Preview(targeted=len(groups), target=body.target.describe(), sample=groups[:SAMPLE])

    @api.route(
        "POST",
        "/api/broadcasts",
        summary="Create a broadcast of one vacancy (or a digest) to the target's groups",
        tag="broadcasts",
        body=CreateBroadcast,
        response=Progress,
        status=201,
        errors={
            400: "a named vacancy is held by the post checker (the error names the findings)",
            404: "a named vacancy does not exist",
            409: "a named vacancy is not open",
        },
    )
    async def create_broadcast(request: web.Request, body: CreateBroadcast) -> Any:
        if body.key is not None and (earlier := await request.app[PLANS].by_key(body.key)):
            return await _progress(request, earlier.id)  # a retry: what the first one made
        found = {v.id: v for v in await request.app[VACANCIES].get_many(body.vacancy_ids)}
        missing = [i for i in body.vacancy_ids if i not in found]
        if missing:
            raise ApiError(404, f"no such vacancy: {', '.join(missing)}")
        held = [found[i] for i in body.vacancy_ids if found[i].status is VacancyStatus.held]
        if held:
            raise ApiError(
                400,
                held_message(held),
                [{"vacancy_id": v.id, "findings": _findings(v)} for v in held],
            )
        closed = [i for i in body.vacancy_ids if not found[i].is_open()]
        if closed:
            raise ApiError(409, f"not open (expired, closed or pending): {', '.join(closed)}")
        try:
            created = await request.app[PLANNER].create(
                body.vacancy_ids,
                body.target,
                scheduled_at=body.scheduled_at,
                key=body.key,
            )
        except PlanError as exc:
            raise ApiError(400, str(exc)) from None
        return await _progress(request, created.id)

    @api.route(
        "GET",
        "/api/broadcasts",
        summary="Broadcasts with their progress, newest first",
        tag="broadcasts",
        query=ListQuery,
        response=BroadcastList,
    )
    async def list_broadcasts(request: web.Request, query: ListQuery) -> Any:
        total, found = await request.app[PLANS].recent(query.offset, query.limit)
        return BroadcastList(total=total, broadcasts=found)

    @api.route(
        "GET",
        BY_ID,
        summary="Progress: targeted, delivered, failed by reason, skipped, pending, times",
        tag="broadcasts",
        path_params=BroadcastPath,
        response=Progress,
    )
    async def get_broadcast(request: web.Request, path: BroadcastPath) -> Any:
        return await _progress(request, path.broadcast_id)

    @api.route(
        "GET",
        BY_ID + "/groups",
        summary="Each group's outcome (state=failed lists failures and unknown outcomes)",
        tag="broadcasts",
        path_params=BroadcastPath,
        query=OutcomeQuery,
        response=OutcomeList,
    )
    async def broadcast_groups(
        request: web.Request, path: BroadcastPath, query: OutcomeQuery
    ) -> Any:
        broadcast_id = path.broadcast_id
        await _progress(request, broadcast_id)  # 404 for an unknown id
        outcomes = await request.app[PLANS].outcomes(broadcast_id)
        if query.state:
            outcomes = [o for o in outcomes if o.state in query.state]
        page = outcomes[query.offset : query.offset + query.limit]
        return OutcomeList(total=len(outcomes), groups=page)

    for verb, summary in (
        ("pause", "Pause: nothing more is sent until resumed"),
        ("resume", "Resume a paused broadcast"),
        ("cancel", "Cancel: groups not yet sent to are skipped"),
    ):
        api.route(
            "POST",
            f"{BY_ID}/{verb}",
            summary=summary,
            tag="broadcasts",
            path_params=BroadcastPath,
            response=Progress,
            errors={409: "the broadcast's status does not allow it"},
        )(_control(verb))

    @api.route(
        "POST",
        BY_ID + "/edit",
        summary="Re-render the post from its vacancies and edit it in every group it reached",
        tag="broadcasts",
        path_params=BroadcastPath,
        response=Progress,
        status=201,
        errors={409: "the broadcast is still sending"},
    )
    async def edit_broadcast(request: web.Request, path: BroadcastPath) -> Any:
        return await _follow_up(request, path.broadcast_id, request.app[PLANNER].edit)

    @api.route(
        "POST",
        BY_ID + "/withdraw",
        summary="Delete the post in every group it reached",
        tag="broadcasts",
        path_params=BroadcastPath,
        response=Progress,
        status=201,
        errors={409: "the broadcast is still sending"},
    )
    async def withdraw_broadcast(request: web.Request, path: BroadcastPath) -> Any:
        planner = request.app[PLANNER]
        return await _follow_up(request, path.broadcast_id, planner.withdraw)


def _control(verb: str) -> Any:
    async def control(request: web.Request, path: BroadcastPath) -> Any:
        broadcast_id = path.broadcast_id
        store = request.app[PLANS]
        try:
            await getattr(store, verb)(broadcast_id)
        except LookupError:
            raise ApiError(404, "no such broadcast") from None
        except BroadcastError as exc:
            raise ApiError(409, str(exc)) from None
        return await _progress(request, broadcast_id)

    control.__name__ = f"{verb}_broadcast"
    return control


async def _follow_up(request: web.Request, broadcast_id: str, make: Any) -> Any:
    try:
        child = await make(broadcast_id)
    except LookupError:
        raise ApiError(404, "no such broadcast") from None
    except BroadcastError as exc:
        raise ApiError(409, str(exc)) from None
    except PlanError as exc:
        raise ApiError(400, str(exc)) from None
    return await _progress(request, child.id)


async def _progress(request: web.Request, broadcast_id: str) -> Progress:
    found = await request.app[PLANS].progress(broadcast_id)
    if found is None:
        raise ApiError(404, "no such broadcast")
    return found


def _findings(vacancy: Vacancy) -> list[dict[str, Any]]:
    review = vacancy.compliance
    return [f.model_dump(mode="json") for f in review.blocking] if review else []
