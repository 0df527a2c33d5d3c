"""Broadcast plans for the planner and the readers: write a plan, read how it went, steer it.

Per broadcast ``B`` (key names in ``jobfeed.keys``, section "broadcasts"):

- ``bc:B`` hash: the broadcast's fields and its counters (``targeted``, ``remaining``,
  ``delivered``, ``failed:<reason>``, ``skipped:<reason>``, ``unknown``, ``resent``, and
  per channel ``ch:<channel>:targeted|delivered|failed|skipped``);
- ``bc:B:state`` hash: group address (``telegram:-100123``) -> that group's state, the
  single source of truth;
- ``bc:B:queue`` list: group addresses no worker has claimed yet (never trimmed: an entry
  leaves it only by being claimed or cancelled, in the same script that says so).

A group's state moves ``q`` (queued) -> ``h|W`` (held by worker W) -> ``s|W`` (W is
sending) -> ``d|<message_id>`` / ``f|<reason>`` / ``k|<reason>`` (delivered, failed,
skipped). The workers' side of that is ``jobfeed.broadcast.tasks``; taking over the
tasks of a worker that died is ``jobfeed.broadcast.liveness``. Every change is one Lua
script (``scripts/*.lua``), so the outcome and its counters are one write.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from redis.asyncio import Redis
from redis.commands.core import AsyncScript

from jobfeed.broadcast.models import (
    Action,
    Broadcast,
    ChannelProgress,
    GroupOutcome,
    Post,
    Progress,
    Status,
    Target,
)
from jobfeed.channels import Address
from jobfeed.keys import Keys
from jobfeed.lua import load_script
from jobfeed.models import utcnow

PACKAGE = "jobfeed.broadcast"


@dataclass(frozen=True, slots=True)
class PlanItem:
    group: Address  # the group as planned: the key of its state
    address: Address | None = None  # where its post is, when that differs (a migration)
    message_id: int | None = None  # edits and withdrawals: the post to change


class BroadcastError(Exception):
    """A control request that the broadcast's status does not allow."""


class BroadcastPlans:
    """What the planner, the HTTP API, the dashboard, statistics and the CLI use."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys
        self._create = load_script(redis, PACKAGE, "create")
        self._pause_resume = load_script(redis, PACKAGE, "pause_resume")
        self._cancel = load_script(redis, PACKAGE, "fn_terminal", "cancel")

    # --- planning ------------------------------------------------------------------------

    async def by_key(self, key: str) -> Broadcast | None:
        """The broadcast created under the idempotency ``key``, if any."""
        existing = cast(str | None, await self._redis.get(self._keys.broadcast_by_key(key)))
        return await self.get(existing) if existing else None

    async def create(
        self,
        *,
        plan: Sequence[PlanItem],
        post: Post | None,
        action: Action = Action.send,
        vacancy_ids: Sequence[str] = (),
        target: Target | None = None,
        scheduled_at: datetime | None = None,
        parent_id: str | None = None,
        key: str | None = None,
    ) -> Broadcast:
        """Write the whole plan in one script: either every task exists or none.

        With an idempotency ``key``, a repeated call (a retry after a crash) returns the
        broadcast the first call created instead of creating another one.
        """
        if key is not None and (found := await self.by_key(key)) is not None:
            return found
        now = utcnow()
        broadcast_id = str(await self._redis.incr(self._keys.broadcast_seq))
        target = target or Target()
        chats = list(dict.fromkeys(str(item.group) for item in plan))
        status = Status.scheduled if scheduled_at and scheduled_at > now else Status.running
        if not chats:
            status = Status.done
        due = scheduled_at if status is Status.scheduled and scheduled_at else now
        meta: dict[str, Any] = {
            "id": broadcast_id,
            "action": action.value,
            "parent_id": parent_id or "",
            "vacancy_ids": json.dumps(list(vacancy_ids)),
            "target": target.model_dump_json(),
            "target_text": target.describe(),
            "post": post.model_dump_json() if post else "",
            "status": status.value,
            "created_at": now.isoformat(),
            "scheduled_at": scheduled_at.isoformat() if scheduled_at else "",
            "due_ms": _ms(due),
            "targeted": len(chats),
            "remaining": len(chats),
            "delivered": 0,
            "unknown": 0,
            "resent": 0,
        }
        for chat in chats:
            counter = f"ch:{chat.partition(':')[0]}:targeted"
            meta[counter] = meta.get(counter, 0) + 1
        if status is Status.running:
            meta["started_at"] = now.isoformat()
        if status is Status.done:
            meta["started_at"] = meta["finished_at"] = now.isoformat()
        addresses = [
            (str(item.group), f"{item.address or item.group}|{item.message_id or ''}")
            for item in plan
            if item.address not in (None, item.group) or item.message_id is not None
        ]
        k = self._keys
        keys = [
            k.broadcast(broadcast_id),
            k.broadcast_state(broadcast_id),
            k.broadcast_queue(broadcast_id),
            k.broadcast_address(broadcast_id),
            k.broadcasts,
            k.broadcasts_due,
        ]
        if key is not None:
            keys.append(k.broadcast_by_key(key))
        fields = [part for pair in meta.items() for part in pair]
        created = cast(
            str,
            await self._create(
                keys=keys,
                args=[
                    broadcast_id,
                    k.broadcast("@"),
                    _ms(now),
                    meta["due_ms"] if chats else "",
                    len(fields),
                    len(chats),
                    *fields,
                    *chats,
                    *(part for pair in addresses for part in pair),
                ],
            ),
        )
        if created != broadcast_id:  # a concurrent call with the same key won
            found = await self.get(created)
            assert found is not None  # the script saw its hash
            return found
        return Broadcast(
            id=broadcast_id,
            action=action,
            parent_id=parent_id,
            vacancy_ids=list(vacancy_ids),
            target=target,
            post=post,
            status=status,
            created_at=now,
            scheduled_at=scheduled_at,
        )

    async def delivered_posts(self, broadcast_id: str) -> list[PlanItem]:
        """Where a broadcast's posts are now: the plan of an edit or a withdrawal."""
        states = await self._hash(self._keys.broadcast_state(broadcast_id))
        addresses = await self._hash(self._keys.broadcast_address(broadcast_id))
        items = []
        for member, state in states.items():
            if state.startswith("d|"):
                group = Address.parse(member)
                address = addresses.get(member, "").partition("|")[0]
                items.append(
                    PlanItem(
                        group=group,
                        address=Address.parse(address) if address else group,
                        message_id=int(state[2:]),
                    )
                )
        return sorted(items, key=lambda item: item.group.sort_key)

    # --- reading -------------------------------------------------------------------------

    async def get(self, broadcast_id: str) -> Broadcast | None:
        meta = await self._hash(self._keys.broadcast(broadcast_id))
        return _broadcast(meta) if meta else None

    async def progress(self, broadcast_id: str) -> Progress | None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hgetall(self._keys.broadcast(broadcast_id))
            pipe.smembers(self._keys.broadcast_unknown(broadcast_id))
            meta, unknown = await pipe.execute()
        return _progress(meta, unknown) if meta else None

    async def recent(self, offset: int = 0, limit: int = 50) -> tuple[int, list[Progress]]:
        """Broadcasts, newest first."""
        total = await self._redis.zcard(self._keys.broadcasts)
        ids = cast(
            list[str],
            await self._redis.zrevrange(self._keys.broadcasts, offset, offset + limit - 1),
        )
        found = [await self.progress(broadcast_id) for broadcast_id in ids]
        return int(total), [p for p in found if p is not None]

    async def outcomes(self, broadcast_id: str) -> list[GroupOutcome]:
        states = await self._hash(self._keys.broadcast_state(broadcast_id))
        addresses = await self._hash(self._keys.broadcast_address(broadcast_id))
        found = sorted(
            ((Address.parse(member), state) for member, state in states.items()),
            key=lambda item: item[0].sort_key,
        )
        return [_outcome(group, state, addresses.get(str(group))) for group, state in found]

    async def _hash(self, key: str) -> dict[str, str]:
        return cast(dict[str, str], await self._redis.hgetall(key))

    # --- control -------------------------------------------------------------------------

    async def pause(self, broadcast_id: str) -> None:
        await self._control(self._pause_resume, broadcast_id, "paused", "pause")

    async def resume(self, broadcast_id: str) -> None:
        await self._control(self._pause_resume, broadcast_id, "running", "resume")

    async def cancel(self, broadcast_id: str) -> None:
        result = await self._cancel(
            keys=[
                self._keys.broadcast(broadcast_id),
                self._keys.broadcast_state(broadcast_id),
                self._keys.broadcast_queue(broadcast_id),
                self._keys.broadcasts_due,
                # Queued tasks are held by nobody; this set is always empty.
                self._keys.broadcast_held("-"),
            ],
            args=[broadcast_id, utcnow().isoformat()],
        )
        _check(result, "cancel")

    async def _control(self, script: AsyncScript, broadcast_id: str, to: str, verb: str) -> None:
        result = await script(
            keys=[self._keys.broadcast(broadcast_id), self._keys.broadcasts_due], args=[to]
        )
        _check(result, verb)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _check(result: str, verb: str) -> None:
    if result == "missing":
        raise LookupError("no such broadcast")
    if result != "ok":
        raise BroadcastError(f"cannot {verb} a broadcast that is {result}")


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value).astimezone(UTC) if value else None


def _broadcast(meta: dict[str, str]) -> Broadcast:
    return Broadcast(
        id=meta["id"],
        action=Action(meta["action"]),
        parent_id=meta.get("parent_id") or None,
        vacancy_ids=json.loads(meta.get("vacancy_ids") or "[]"),
        target=Target.model_validate_json(meta.get("target") or "{}"),
        post=Post.model_validate_json(meta["post"]) if meta.get("post") else None,
        status=Status(meta["status"]),
        created_at=datetime.fromisoformat(meta["created_at"]),
        scheduled_at=_time(meta.get("scheduled_at")),
    )


def _progress(meta: dict[str, str], unknown: Iterable[str]) -> Progress:
    failed = {k[7:]: int(v) for k, v in meta.items() if k.startswith("failed:") and int(v)}
    skipped = {k[8:]: int(v) for k, v in meta.items() if k.startswith("skipped:") and int(v)}
    return Progress(
        id=meta["id"],
        action=Action(meta["action"]),
        parent_id=meta.get("parent_id") or None,
        vacancy_ids=json.loads(meta.get("vacancy_ids") or "[]"),
        target=meta.get("target_text", ""),
        status=Status(meta["status"]),
        targeted=int(meta["targeted"]),
        delivered=int(meta.get("delivered", 0)),
        failed=failed,
        skipped=skipped,
        pending=int(meta["remaining"]),
        unknown=int(meta.get("unknown", 0)),
        resent=int(meta.get("resent", 0)),
        unknown_chats=[
            a.chat_id for a in sorted(map(Address.parse, unknown), key=lambda a: a.sort_key)
        ],
        by_channel=_by_channel(meta),
        created_at=datetime.fromisoformat(meta["created_at"]),
        scheduled_at=_time(meta.get("scheduled_at")),
        started_at=_time(meta.get("started_at")),
        finished_at=_time(meta.get("finished_at")),
    )


_STATE_NAMES = {
    "q": "queued",
    "h": "held",
    "s": "sending",
    "d": "delivered",
    "f": "failed",
    "k": "skipped",
}


def _by_channel(meta: dict[str, str]) -> dict[str, ChannelProgress]:
    counts: dict[str, dict[str, int]] = {}
    for field, value in meta.items():
        if field.startswith("ch:"):
            channel, _, kind = field[3:].rpartition(":")
            counts.setdefault(channel, {})[kind] = int(value)
    return {channel: ChannelProgress(**found) for channel, found in sorted(counts.items())}


def _outcome(group: Address, state: str, address: str | None) -> GroupOutcome:
    code, _, rest = state.partition("|")
    where = (address or "").partition("|")[0]
    moved = Address.parse(where) if where else None
    return GroupOutcome(
        channel=group.channel,
        chat_id=group.chat_id,
        state=_STATE_NAMES.get(code, code),
        reason=rest if code in ("f", "k") else None,
        message_id=int(rest) if code == "d" else None,
        address=moved.chat_id if moved is not None and moved != group else None,
    )
