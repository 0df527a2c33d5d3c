"""WeCom customer groups (客户群): one mass-send task per group owner, followed to the end.

The channel ``wecom-customer`` addresses an owner (``wecom-customer:<userid>``): a group of
the matrix per owner, tagged like any group, standing for the customer groups they own
(``CustomerGroupSync`` reads them from ``groupchat/list`` and ``groupchat/get``). Sending a
post to an owner creates one task through ``add_msg_template`` (``chat_type`` ``group``,
``sender`` the owner). WeCom then asks the owner to confirm it in their client: nothing
reaches a group before that, and we never bypass it. The send is ``Delivered`` once the
task exists; ``jobfeed.confirmations`` follows each group (``CustomerResults`` polls
``get_groupmsg_send_result``): status 0 未发送 -> awaiting the owner, 1 -> sent,
2 -> failed ``not_friend``, 3 -> failed ``already_received`` (a group gets at most four
mass sends a month from the whole corp).

``errcode``s of ``add_msg_template``: 45009/45033 (too frequent) -> the owner waits a
minute; 40003/60111 (no such user: the owner left) -> ``Forbidden``, the owner's group
becomes inactive; a refused token (40014, 42001) is fetched again once; anything else
-> ``Rejected``, its code logged.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, cast

from redis.asyncio import Redis

from bot.wecom.credentials import CUSTOMER
from bot.wecom.http import NoReply, Unreachable, WeComHttp
from bot.wecom.markdown import WeComTexts
from bot.wecom.token import STALE_CODES, AccessToken, TokenError
from jobfeed.broadcast.models import Post
from jobfeed.broadcast.pacing import PacingLimits
from jobfeed.broadcast.sender import (
    Delivered,
    Forbidden,
    Rejected,
    RetryAfter,
    SendResult,
    Transient,
    Unknown,
)
from jobfeed.channels import Address, Capabilities
from jobfeed.confirmations import AWAITING, SENT, ConfirmedSends, MassTask
from jobfeed.groups import GroupRepository
from jobfeed.keys import Keys
from jobfeed.models import Group, utcnow
from jobfeed.observe import BROADCAST_ID
from jobfeed.periodic import sleep_unless

log = logging.getLogger(__name__)

API = "/cgi-bin/externalcontact"
TOO_FREQUENT = frozenset({45009, 45033})
NO_SUCH_USER = frozenset({40003, 60111})
STATUS = {0: AWAITING, 1: SENT, 2: "failed:not_friend", 3: "failed:already_received"}
PAGE = 1000


class CorpApi:
    """Calls with the access token, fetched again once when WeCom refuses it."""

    def __init__(self, http: WeComHttp, token: AccessToken) -> None:
        self._http = http
        self._token = token

    async def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        for attempt in range(2):
            token = await self._token.get()
            answer = await self._http.call("POST", f"{API}/{path}", {"access_token": token}, body)
            if int(answer.get("errcode", 0)) in STALE_CODES and attempt == 0:
                await self._token.invalidate(token)
                continue
            return answer
        raise AssertionError("unreachable")  # pragma: no cover


class Owners:
    """Each owner's customer groups (``Keys.chat_members``)."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._key = keys.chat_members(CUSTOMER)

    async def chats(self, owner: str) -> list[str]:
        raw = cast(str | None, await self._redis.hget(self._key, owner))
        return list(json.loads(raw)) if raw else []

    async def set(self, owner: str, chats: list[str]) -> None:
        await self._redis.hset(self._key, owner, json.dumps(sorted(chats)))


class WeComCustomerChannel:
    name = CUSTOMER
    capabilities = Capabilities(send=True, max_text=4000, markup="text")

    def __init__(
        self,
        api: CorpApi,
        owners: Owners,
        sends: ConfirmedSends,
        texts: WeComTexts,
        *,
        speed: float = 1.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._api = api
        self._owners = owners
        self._sends = sends
        self._texts = texts
        self._speed = speed
        self._clock = clock

    @property
    def limits(self) -> PacingLimits:
        # One task per owner per broadcast; a few calls a second stay far below WeCom's.
        return PacingLimits(global_rate=5.0, group_limit=20, group_window=61.0).scaled(self._speed)

    async def prepare(self, post: Post) -> None:
        return None

    async def render(self, post: Post) -> str:
        return self._texts.plain(post)

    async def send(self, chat: Address, post: Post) -> SendResult:  # noqa: PLR0911
        broadcast_id = BROADCAST_ID.get()  # the engine names the broadcast it sends
        if broadcast_id is None:
            return Rejected("no broadcast to follow the mass send in")
        try:
            text = self._texts.plain(post)
        except ValueError as exc:
            return Rejected(str(exc))
        owner, chats = chat.chat, await self._owners.chats(chat.chat)
        body = {
            "chat_type": "group",
            "sender": owner,
            "text": {"content": text},
            **({"chat_id_list": chats} if chats else {}),
        }
        try:
            answer = await self._api.post("add_msg_template", body)
        except TokenError as exc:
            return Rejected(str(exc))
        except Unreachable as exc:
            return Transient(str(exc), network=True)
        except NoReply as exc:
            return Unknown(str(exc))
        code = int(answer.get("errcode", 0))
        if code:
            log.warning("WeCom mass send for %s: errcode %d %s", owner, code, answer.get("errmsg"))
            if code in TOO_FREQUENT:
                return RetryAfter(60.0 / self._speed, chat_only=True)
            if code in NO_SUCH_USER:
                return Forbidden(f"no such user ({code})")
            return Rejected(f"errcode {code}")
        refused = [str(c) for c in answer.get("fail_list") or []]
        task = MassTask(sender=owner, task_id=str(answer["msgid"]), created_at=self._clock())
        await self._sends.opened(
            broadcast_id,
            task,
            [c for c in chats if c not in refused],
            dict.fromkeys(refused, "refused"),
        )
        return Delivered(0)

    async def edit(self, chat: Address, message_id: int, post: Post) -> SendResult:
        return Rejected("a mass send cannot be edited")

    async def delete(self, chat: Address, message_id: int) -> SendResult:
        return Rejected("a mass send cannot be withdrawn")


class CustomerResults:
    """Follows every open mass-send task until each of its groups has a result."""

    def __init__(
        self,
        api: CorpApi,
        sends: ConfirmedSends,
        *,
        every: float = 60.0,
        give_up_after: timedelta = timedelta(days=3),
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._api = api
        self._sends = sends
        self._every = every
        self._give_up_after = give_up_after
        self._clock = clock

    async def poll_once(self) -> int:
        """Ask WeCom about every unsettled task once; returns how many settled."""
        settled = 0
        for broadcast_id in await self._sends.open_broadcasts():
            for task in await self._sends.tasks(broadcast_id):
                if task.settled_at is not None:
                    continue
                results = await self._results(task)
                if results is None:
                    continue
                settled += await self._sends.record(
                    broadcast_id, task, results, self._clock(), give_up_after=self._give_up_after
                )
        return settled

    async def _results(self, task: MassTask) -> dict[str, str] | None:
        results: dict[str, str] = {}
        cursor = ""
        while True:
            body = {"msgid": task.task_id, "userid": task.sender, "limit": PAGE, "cursor": cursor}
            answer = await self._api.post("get_groupmsg_send_result", body)
            if int(answer.get("errcode", 0)):
                log.warning(
                    "WeCom results of task %s: errcode %s", task.task_id, answer.get("errcode")
                )
                return None
            for row in answer.get("send_list") or []:
                results[str(row["chat_id"])] = STATUS.get(int(row["status"]), AWAITING)
            cursor = str(answer.get("next_cursor") or "")
            if not cursor:
                return results

    async def run(self, stop: asyncio.Event) -> None:
        """Every ``every`` seconds, in one worker process of all (a lease in Redis)."""
        while not stop.is_set():
            try:
                if await self._sends.lease_round(self._every):
                    await self.poll_once()
            except (TokenError, Unreachable, NoReply) as exc:
                log.warning("WeCom mass-send results: %s", exc)
            await sleep_unless(stop, self._every)


class CustomerGroupSync:
    """The matrix's owners from WeCom: one group per owner of customer groups."""

    def __init__(self, api: CorpApi, owners: Owners, groups: GroupRepository) -> None:
        self._api = api
        self._owners = owners
        self._groups = groups

    async def sync(self) -> dict[str, list[str]]:
        """Read every customer group and its owner; returns owner -> chats."""
        chats: list[str] = []
        cursor = ""
        while True:
            answer = await self._api.post(
                "groupchat/list", {"status_filter": 0, "limit": PAGE, "cursor": cursor}
            )
            _check(answer)
            chats += [str(row["chat_id"]) for row in answer.get("group_chat_list") or []]
            cursor = str(answer.get("next_cursor") or "")
            if not cursor:
                break
        by_owner: dict[str, list[str]] = {}
        for chat in chats:
            answer = await self._api.post("groupchat/get", {"chat_id": chat, "need_name": 1})
            _check(answer)
            by_owner.setdefault(str(answer["group_chat"]["owner"]), []).append(chat)
        for owner, owned in by_owner.items():
            await self._owners.set(owner, owned)
            address = Address(CUSTOMER, owner)
            title = f"{owner} 的客户群（{len(owned)}个）"
            old = await self._groups.get(address)
            group = old or Group(channel=CUSTOMER, chat_id=owner)
            await self._groups.upsert(group.model_copy(update={"title": title, "active": True}))
        return by_owner


def _check(answer: dict[str, Any]) -> None:
    code = int(answer.get("errcode", 0))
    if code:
        raise TokenError(f"WeCom errcode {code}", code)
