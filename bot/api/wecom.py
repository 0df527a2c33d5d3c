"""``/api/wecom``: WeCom group robots (register, list masked, remove) and the corp's
credentials for customer groups (``WECOM_CORP_ID``/``WECOM_SECRET``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from bot.api.registry import Api, ApiError
from bot.appkeys import KEYS, REDIS, SETTINGS
from bot.factories import make_wecom
from bot.wecom.credentials import CORP_ID, SECRET, CredentialStore
from bot.wecom.http import NoReply, Unreachable
from bot.wecom.robots import Robot, RobotRegistry, parse_key
from bot.wecom.setup import credential_store
from bot.wecom.token import TokenError
from bot.wecom.wiring import WeComChannels
from jobfeed.confirmations import ConfirmedSends

_CHAT = r"^r[0-9a-f]{16}$"


_WEBHOOK = (
    r"^(https?://[A-Za-z0-9.:-]+(/[^\s?#]*)?/cgi-bin/webhook/send\?key=[A-Za-z0-9-]{8,128}"
    r"|[A-Za-z0-9-]{8,128})$"
)
_TEXT = r"\S"  # not blank once stripped
Tag = Annotated[str, StringConstraints(min_length=1, max_length=30, pattern=_TEXT)]


class RobotIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=255, pattern=_TEXT, description="the group")
    webhook: str = Field(
        pattern=_WEBHOOK,
        repr=False,  # a secret
        description="the robot's webhook URL (…/cgi-bin/webhook/send?key=…) or its key",
    )
    city: str | None = Field(default=None, max_length=50)
    province: str | None = Field(default=None, max_length=50)
    industries: list[Tag] | None = Field(default=None, max_length=20)


class RobotError(BaseModel):
    code: int
    message: str
    at: datetime


class RobotOut(BaseModel):
    address: str
    chat_id: str = Field(description="the robot's id (not its key)")
    name: str
    key: str = Field(description="the webhook key, masked: first 4 … last 4")
    city: str | None
    province: str | None
    industries: list[str]
    active: bool
    inactive_reason: str | None
    last_error: RobotError | None


class RobotList(BaseModel):
    total: int
    robots: list[RobotOut]


class RobotPath(BaseModel):
    chat_id: str = Field(pattern=_CHAT, description="the robot's id, e.g. r0123456789abcdef")


class CredentialsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    corp_id: str = Field(pattern=CORP_ID.pattern, description="企业ID (WECOM_CORP_ID)")
    secret: str = Field(
        pattern=SECRET.pattern, repr=False, description="the app's Secret (WECOM_SECRET)"
    )


class CredentialsOut(BaseModel):
    configured: bool
    corp_id: str | None = None
    secret: str | None = Field(default=None, description="masked")


def robot_out(robot: Robot) -> RobotOut:
    group = robot.group
    error = robot.last_error
    return RobotOut(
        address=str(group.address),
        chat_id=str(group.chat_id),
        name=group.title,
        key=robot.masked_key,
        city=group.city,
        province=group.province,
        industries=group.industries,
        active=group.active,
        inactive_reason=group.inactive_reason,
        last_error=RobotError(code=error.code, message=error.message, at=error.at)
        if error
        else None,
    )


def _registry(request: web.Request) -> RobotRegistry:
    return RobotRegistry(request.app[REDIS], request.app[KEYS])


def _credentials(request: web.Request) -> CredentialStore:
    return credential_store(request.app[SETTINGS], request.app[REDIS], request.app[KEYS])


def setup(api: Api) -> None:
    setup_robots(api)
    setup_customer_groups(api)


def setup_robots(api: Api) -> None:
    @api.route(
        "POST",
        "/api/wecom/robots",
        summary="Register a WeCom group robot (its group becomes a broadcast target)",
        tag="wecom",
        body=RobotIn,
        response=RobotOut,
        status=201,
    )
    async def add_wecom_robot(request: web.Request, body: RobotIn) -> Any:
        try:
            key = parse_key(body.webhook)
        except ValueError as exc:
            raise ApiError(400, str(exc)) from None
        robot = await _registry(request).register(
            key, body.name, city=body.city, province=body.province, industries=body.industries
        )
        return robot_out(robot)

    @api.route(
        "GET",
        "/api/wecom/robots",
        summary="WeCom group robots, keys masked, with the last error each answered",
        tag="wecom",
        response=RobotList,
    )
    async def list_wecom_robots(request: web.Request) -> Any:
        robots = [robot_out(r) for r in await _registry(request).all()]
        return RobotList(total=len(robots), robots=robots)

    @api.route(
        "DELETE",
        "/api/wecom/robots/{chat_id}",
        summary="Forget a robot's key; its group stays listed, inactive",
        tag="wecom",
        path_params=RobotPath,
        status=204,
    )
    async def remove_wecom_robot(request: web.Request, path: RobotPath) -> Any:
        if not await _registry(request).remove(path.chat_id):
            raise ApiError(404, "no such robot")
        return web.Response(status=204)

    @api.route(
        "PUT",
        "/api/wecom/credentials",
        summary="Set the corp id and app secret used for customer groups",
        tag="wecom",
        body=CredentialsIn,
        response=CredentialsOut,
    )
    async def set_wecom_credentials(request: web.Request, body: CredentialsIn) -> Any:
        try:
            saved = await _credentials(request).set(body.corp_id, body.secret)
        except ValueError as exc:
            raise ApiError(400, str(exc)) from None
        return CredentialsOut(configured=True, **saved.masked())

    @api.route(
        "GET",
        "/api/wecom/credentials",
        summary="The corp id and masked secret used for customer groups",
        tag="wecom",
        response=CredentialsOut,
    )
    async def get_wecom_credentials(request: web.Request) -> Any:
        found = await _credentials(request).get()
        if found is None:
            return CredentialsOut(configured=False)
        return CredentialsOut(configured=True, **found.masked())


class Owner(BaseModel):
    owner: str = Field(description="the owner's userid: the group wecom-customer:<userid>")
    chats: list[str]


class SyncResult(BaseModel):
    owners: list[Owner]


class MassSendTally(BaseModel):
    broadcast_id: str
    tasks: int
    tasks_awaiting: int = Field(description="tasks an owner has not confirmed for every group")
    chats: dict[str, int] = Field(description="groups by result: sent, awaiting, failed:<why>")


class MassSends(BaseModel):
    awaiting_confirmation: int = Field(description="tasks waiting for their owner, in all")
    open: list[MassSendTally]


class MassSendPath(BaseModel):
    broadcast_id: str = Field(pattern=r"^[0-9]{1,19}$")


class MassSendDetail(MassSendTally):
    results: dict[str, str] = Field(description="customer group (chat id) -> its result")


def _wecom_channels(request: web.Request) -> WeComChannels:
    settings = request.app[SETTINGS]
    return make_wecom(settings, request.app[REDIS], request.app[KEYS])


async def _tally(sends: ConfirmedSends, broadcast_id: str) -> MassSendTally:
    tally = await sends.tally(broadcast_id)
    return MassSendTally(
        broadcast_id=broadcast_id,
        tasks=tally.tasks,
        tasks_awaiting=tally.tasks_awaiting,
        chats=dict(tally.chats),
    )


def setup_customer_groups(api: Api) -> None:
    @api.route(
        "POST",
        "/api/wecom/customer-groups/sync",
        summary="Read the customer groups (客户群) and their owners from WeCom",
        tag="wecom",
        response=SyncResult,
        errors={409: "no credentials, WeCom refused them (its errcode named) or is unreachable"},
    )
    async def sync_wecom_customer_groups(request: web.Request) -> Any:
        wecom = _wecom_channels(request)
        try:
            owners = await wecom.sync.sync()
        except TokenError as exc:
            raise ApiError(409, f"WeCom: {exc}") from None
        except (Unreachable, NoReply) as exc:
            # Not a 5xx: this service works; the settings point at a WeCom it cannot reach.
            raise ApiError(409, f"WeCom unreachable at WECOM_API_BASE: {exc}") from None
        finally:
            await wecom.close()
        return SyncResult(owners=[Owner(owner=o, chats=c) for o, c in sorted(owners.items())])

    @api.route(
        "GET",
        "/api/wecom/mass-sends",
        summary="Customer-group mass sends not settled yet, and tasks awaiting their owner",
        tag="wecom",
        response=MassSends,
    )
    async def list_wecom_mass_sends(request: web.Request) -> Any:
        sends = ConfirmedSends(request.app[REDIS], request.app[KEYS])
        tallies = [await _tally(sends, b) for b in await sends.open_broadcasts()]
        waiting = sum(t.tasks_awaiting for t in tallies)
        return MassSends(awaiting_confirmation=waiting, open=tallies)

    @api.route(
        "GET",
        "/api/wecom/mass-sends/{broadcast_id}",
        summary="One broadcast's mass sends: each customer group's result",
        tag="wecom",
        path_params=MassSendPath,
        response=MassSendDetail,
    )
    async def get_wecom_mass_send(request: web.Request, path: MassSendPath) -> Any:
        sends = ConfirmedSends(request.app[REDIS], request.app[KEYS])
        tally = await _tally(sends, path.broadcast_id)
        if not tally.tasks:
            raise ApiError(404, "no mass sends in this broadcast")
        results = await sends.results(path.broadcast_id)
        return MassSendDetail(**tally.model_dump(), results=results)
