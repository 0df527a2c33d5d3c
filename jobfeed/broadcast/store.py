"""The broadcast plan in Redis: one task per group, written before anything is sent.

Per broadcast ``B`` (key names in ``jobfeed.keys``, section "broadcasts"):

- ``bc:B`` hash: the broadcast's fields and its counters (``targeted``, ``remaining``,
  ``delivered``, ``failed:<reason>``, ``skipped:<reason>``, ``unknown``, ``resent``);
- ``bc:B:state`` hash: chat id -> that group's state, the single source of truth;
- ``bc:B:queue`` list: chat ids no worker has claimed yet (never trimmed: an entry
  leaves it only by being claimed or cancelled, in the same script that says so);
- ``bc:held:W`` set: what worker ``W`` has claimed, so a survivor can take it over.

A group's state moves ``q`` (queued) -> ``h|W`` (held by worker W) -> ``s|W`` (W is
sending) -> ``d|<message_id>`` / ``f|<reason>`` / ``k|<reason>`` (delivered, failed,
skipped). Every transition is one Lua script that also moves the counters and the held
set, so the outcome and the acknowledgement are one write. The only state in which a
crash leaves the outcome unknown is ``s|W``: the request may have reached Telegram.
Workers prove they are alive by heartbeats; a survivor takes a dead worker's tasks over
(``reap``): ``h|W`` goes back to the queue, ``s|W`` is resent or reported by policy.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, cast

from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.exceptions import WatchError

from jobfeed.batching import ScriptBatcher
from jobfeed.broadcast.models import (
    Action,
    Broadcast,
    FailReason,
    GroupOutcome,
    Post,
    Progress,
    SkipReason,
    Status,
    Target,
)
from jobfeed.broadcast.pacing import RESERVE_FUNCTION, Pacer, Slot
from jobfeed.keys import Keys
from jobfeed.models import utcnow

log = logging.getLogger(__name__)

UnknownPolicy = Literal["resend", "report"]
PERSIST_SECONDS = 60.0

# Shared by the scripts below: settle one group for good and close the broadcast when
# it was the last one. KEYS[1] is always the broadcast hash.
_TERMINAL = """
local function terminal(meta, state, held, due, bid, chat, value, counter, now)
  redis.call('HSET', state, chat, value)
  redis.call('SREM', held, bid .. '|' .. chat)
  redis.call('HINCRBY', meta, counter, 1)
  if redis.call('HINCRBY', meta, 'remaining', -1) <= 0 then
    if redis.call('HGET', meta, 'status') ~= 'cancelled' then
      redis.call('HSET', meta, 'status', 'done')
    end
    redis.call('HSET', meta, 'finished_at', now)
    redis.call('ZREM', due, bid)
  end
end
"""

# KEYS: meta, queue, state, held, address   ARGV: worker, n, bid, now
_CLAIM = """
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'scheduled' then
  redis.call('HSET', KEYS[1], 'status', 'running', 'started_at', ARGV[4])
elseif status ~= 'running' then
  return {}
end
local out = {}
for _ = 1, tonumber(ARGV[2]) do
  local chat = redis.call('LPOP', KEYS[2])
  if not chat then break end
  if redis.call('HGET', KEYS[3], chat) == 'q' then
    redis.call('HSET', KEYS[3], chat, 'h|' .. ARGV[1])
    redis.call('SADD', KEYS[4], ARGV[3] .. '|' .. chat)
    out[#out + 1] = chat
    out[#out + 1] = redis.call('HGET', KEYS[5], chat) or ''
  end
end
return out
"""

# Marks a held task as being sent, unless the broadcast was paused or cancelled meanwhile,
# the group left, or another worker took the task over.
_BEGIN_FUNCTION = (
    _TERMINAL
    + """
local function begin(meta, state, held, due, queue, group, worker, chat, bid, action, now)
  local st = redis.call('HGET', state, chat)
  -- A repeated call (the reply to the first was lost on the way back): we may send.
  if st == 's|' .. worker then return 'go' end
  if st ~= 'h|' .. worker then return 'lost' end
  local status = redis.call('HGET', meta, 'status')
  if status == 'paused' then
    redis.call('HSET', state, chat, 'q')
    redis.call('LPUSH', queue, chat)
    redis.call('SREM', held, bid .. '|' .. chat)
    return 'paused'
  end
  if status == 'cancelled' then
    terminal(meta, state, held, due, bid, chat, 'k|cancelled', 'skipped:cancelled', now)
    return 'cancelled'
  end
  if action == 'send' and redis.call('HGET', group, 'active') == '0' then
    terminal(meta, state, held, due, bid, chat, 'k|inactive', 'skipped:inactive', now)
    return 'inactive'
  end
  redis.call('HSET', state, chat, 's|' .. worker)
  return 'go'
end
"""
)

# KEYS: meta, state, held, due, queue, group   ARGV: worker, chat, bid, action, now
_BEGIN = (
    _BEGIN_FUNCTION
    + """
return begin(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6],
  ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
"""
)

# The common case at full speed in one round trip: a send slot that is due at once
# (within ARGV[10] ms) and the task marked as being sent. An unused slot is given back.
# KEYS: the pacer's three, then begin's six   ARGV: the pacer's seven, begin's five, the limit
_PACED_BEGIN = (
    RESERVE_FUNCTION
    + _BEGIN_FUNCTION
    + """
local slot = reserve(KEYS[1], KEYS[2], KEYS[3], tonumber(ARGV[1]), tonumber(ARGV[2]),
  tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]),
  tonumber(ARGV[7]))
slot[4] = ''
if slot[1] == 1 and tonumber(slot[2]) <= tonumber(ARGV[13]) then
  slot[4] = begin(KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9],
    ARGV[8], ARGV[9], ARGV[10], ARGV[11], ARGV[12])
  if slot[4] ~= 'go' then
    redis.call('LREM', KEYS[3], 1, slot[3])
    redis.call('ZREM', KEYS[2], slot[3])
  end
end
return slot
"""
)

# KEYS: meta, state, held, due, queue, address, unknown
# ARGV: worker, chat, bid, kind, value, now
_FINISH = (
    _TERMINAL
    + """
local chat, bid, kind, value = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local st = redis.call('HGET', KEYS[2], chat)
if kind == 'release' then
  if st ~= 'h|' .. ARGV[1] and st ~= 's|' .. ARGV[1] then return 'lost' end
  redis.call('HSET', KEYS[2], chat, 'q')
  redis.call('LPUSH', KEYS[5], chat)
  redis.call('SREM', KEYS[3], bid .. '|' .. chat)
  return 'released'
end
if st == 'h|' .. ARGV[1] and (kind == 'retry' or kind == 'resend' or kind == 'migrated') then
  return 'retry'  -- a repeated call: the first one was applied
end
if st ~= 's|' .. ARGV[1] then return 'lost' end
local function settle(v, counter)
  terminal(KEYS[1], KEYS[2], KEYS[3], KEYS[4], bid, chat, v, counter, ARGV[6])
end
if kind == 'delivered' then
  settle('d|' .. value, 'delivered')
elseif kind == 'failed' then
  settle('f|' .. value, 'failed:' .. value)
elseif kind == 'skipped' then
  settle('k|' .. value, 'skipped:' .. value)
elseif kind == 'unknown' then
  redis.call('HINCRBY', KEYS[1], 'unknown', 1)
  redis.call('SADD', KEYS[7], chat)
  settle('f|unknown_outcome', 'failed:unknown_outcome')
elseif kind == 'migrated' then
  if redis.call('HEXISTS', KEYS[2], value) == 1 then
    settle('k|merged', 'skipped:merged')
    return 'merged'
  end
  redis.call('HSET', KEYS[6], chat, value .. '|')
  redis.call('HSET', KEYS[2], chat, 'h|' .. ARGV[1])
  return 'retry'
else
  if kind == 'resend' then
    redis.call('HINCRBY', KEYS[1], 'unknown', 1)
    redis.call('HINCRBY', KEYS[1], 'resent', 1)
  end
  redis.call('HSET', KEYS[2], chat, 'h|' .. ARGV[1])
  return 'retry'
end
return 'ok'
"""
)

# KEYS: workers, held, due   ARGV: worker, max_age_ms, policy, now, then the key templates
# of a broadcast's hash, state, queue and unknown set ('@' stands for the id); then,
# optionally, the held members to take over (a live worker's orphans) instead of all.
# Held: back to the queue. Sending: an unknown outcome, resent or reported by policy.
_TAKEOVER = (
    _TERMINAL
    + """
local t = redis.call('TIME')
local now_ms = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local w = ARGV[1]
local some = #ARGV > 8
local members
if some then
  members = {unpack(ARGV, 9)}
else
  local score = redis.call('ZSCORE', KEYS[1], w)
  if score and tonumber(score) >= now_ms - tonumber(ARGV[2]) then return {-1, 0} end
  members = redis.call('SMEMBERS', KEYS[2])
end
local function key(template, bid)
  local at = template:find('@', 1, true)
  return template:sub(1, at - 1) .. bid .. template:sub(at + 1)
end
local requeued, unknown = 0, 0
for _, member in ipairs(members) do
  redis.call('SREM', KEYS[2], member)
  local bar = member:find('|', 1, true)
  local bid, chat = member:sub(1, bar - 1), member:sub(bar + 1)
  local meta, state = key(ARGV[5], bid), key(ARGV[6], bid)
  local queue, unknown_set = key(ARGV[7], bid), key(ARGV[8], bid)
  local st = redis.call('HGET', state, chat)
  local cancelled = redis.call('HGET', meta, 'status') == 'cancelled'
  if st == 'h|' .. w then
    requeued = requeued + 1
    if cancelled then
      terminal(meta, state, KEYS[2], KEYS[3], bid, chat, 'k|cancelled', 'skipped:cancelled',
        ARGV[4])
    else
      redis.call('HSET', state, chat, 'q')
      redis.call('LPUSH', queue, chat)
    end
  elseif st == 's|' .. w then
    unknown = unknown + 1
    redis.call('HINCRBY', meta, 'unknown', 1)
    if ARGV[3] == 'resend' and not cancelled then
      redis.call('HINCRBY', meta, 'resent', 1)
      redis.call('HSET', state, chat, 'q')
      redis.call('LPUSH', queue, chat)
    else
      redis.call('SADD', unknown_set, chat)
      terminal(meta, state, KEYS[2], KEYS[3], bid, chat, 'f|unknown_outcome',
        'failed:unknown_outcome', ARGV[4])
    end
  end
end
if not some then
  redis.call('DEL', KEYS[2])
  redis.call('ZREM', KEYS[1], w)
end
return {requeued, unknown}
"""
)

# KEYS: workers   ARGV: worker, must_exist
_HEARTBEAT = """
local t = redis.call('TIME')
local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if ARGV[2] == '1' and not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now_ms, ARGV[1])
return 1
"""

# KEYS: workers   ARGV: max_age_ms -> ids of workers silent for longer
_SILENT = """
local t = redis.call('TIME')
local now_ms = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now_ms - tonumber(ARGV[1])))
"""

# KEYS: meta, due   ARGV: to ('paused' | 'running')
_PAUSE_RESUME = """
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 'missing' end
if ARGV[1] == 'paused' then
  if status ~= 'running' and status ~= 'scheduled' then return status end
  redis.call('HSET', KEYS[1], 'status', 'paused')
  redis.call('ZREM', KEYS[2], redis.call('HGET', KEYS[1], 'id'))
  return 'ok'
end
if status ~= 'paused' then return status end
local resumed = redis.call('HEXISTS', KEYS[1], 'started_at') == 1 and 'running' or 'scheduled'
redis.call('HSET', KEYS[1], 'status', resumed)
local id = redis.call('HGET', KEYS[1], 'id')
redis.call('ZADD', KEYS[2], redis.call('HGET', KEYS[1], 'due_ms'), id)
return 'ok'
"""

# KEYS: meta, state, queue, due   ARGV: bid, now
_CANCEL = (
    _TERMINAL
    + """
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 'missing' end
if status == 'done' or status == 'cancelled' then return status end
redis.call('HSET', KEYS[1], 'status', 'cancelled')
redis.call('ZREM', KEYS[4], ARGV[1])
local chat = redis.call('LPOP', KEYS[3])
while chat do
  if redis.call('HGET', KEYS[2], chat) == 'q' then
    terminal(KEYS[1], KEYS[2], KEYS[5], KEYS[4], ARGV[1], chat, 'k|cancelled',
      'skipped:cancelled', ARGV[2])
  end
  chat = redis.call('LPOP', KEYS[3])
end
if tonumber(redis.call('HGET', KEYS[1], 'remaining')) <= 0 then
  redis.call('HSETNX', KEYS[1], 'finished_at', ARGV[2])
end
return 'ok'
"""
)


@dataclass(frozen=True, slots=True)
class Task:
    """One group of one broadcast, as a worker holds it."""

    broadcast_id: str
    chat_id: int  # the group as planned: the key of its state
    address: int  # where to send: differs from chat_id after a migration
    message_id: int | None = None  # edits and withdrawals: the post to change

    @property
    def member(self) -> str:
        """How the worker's held set in Redis names it."""
        return f"{self.broadcast_id}|{self.chat_id}"


@dataclass(frozen=True, slots=True)
class PlanItem:
    chat_id: int
    address: int | None = None
    message_id: int | None = None


class BroadcastError(Exception):
    """A control request that the broadcast's status does not allow."""


class BroadcastStore:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys
        self._claim = redis.register_script(_CLAIM)
        self._begin = redis.register_script(_BEGIN)
        self._paced_begin = redis.register_script(_PACED_BEGIN)
        # The calls every send makes share round trips (see batching).
        self._batched = ScriptBatcher(redis)
        self._finish = redis.register_script(_FINISH)
        self._takeover = redis.register_script(_TAKEOVER)
        self._heartbeat = redis.register_script(_HEARTBEAT)
        self._silent = redis.register_script(_SILENT)
        self._pause_resume = redis.register_script(_PAUSE_RESUME)
        self._cancel = redis.register_script(_CANCEL)
        self._templates = [
            keys.broadcast("@"),
            keys.broadcast_state("@"),
            keys.broadcast_queue("@"),
            keys.broadcast_unknown("@"),
        ]

    # --- planning ------------------------------------------------------------------------

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
        """Write the whole plan in one transaction: either every task exists or none.

        With an idempotency ``key``, a repeated call (a retry after a crash) returns the
        broadcast the first call created instead of creating another one.
        """
        while True:
            try:
                return await self._create(
                    plan=plan,
                    post=post,
                    action=action,
                    vacancy_ids=vacancy_ids,
                    target=target,
                    scheduled_at=scheduled_at,
                    parent_id=parent_id,
                    key=key,
                )
            except WatchError:
                continue  # a concurrent call with the same key won; read its broadcast

    async def _create(
        self,
        *,
        plan: Sequence[PlanItem],
        post: Post | None,
        action: Action,
        vacancy_ids: Sequence[str],
        target: Target | None,
        scheduled_at: datetime | None,
        parent_id: str | None,
        key: str | None,
    ) -> Broadcast:
        if key is not None:
            existing = cast(str | None, await self._redis.get(self._keys.broadcast_by_key(key)))
            if existing and (found := await self.get(existing)) is not None:
                return found
        now = utcnow()
        broadcast_id = str(await self._redis.incr(self._keys.broadcast_seq))
        target = target or Target()
        chats = list(dict.fromkeys(item.chat_id for item in plan))
        status = Status.scheduled if scheduled_at and scheduled_at > now else Status.running
        if not chats:
            status = Status.done
        due = scheduled_at if status is Status.scheduled and scheduled_at else now
        meta: dict[Any, Any] = {
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
        if status is Status.running:
            meta["started_at"] = now.isoformat()
        if status is Status.done:
            meta["started_at"] = meta["finished_at"] = now.isoformat()
        addresses: dict[Any, Any] = {
            str(item.chat_id): f"{item.address if item.address is not None else item.chat_id}|"
            f"{item.message_id or ''}"
            for item in plan
            if item.address not in (None, item.chat_id) or item.message_id is not None
        }
        async with self._redis.pipeline(transaction=True) as pipe:
            if key is not None:
                await pipe.watch(self._keys.broadcast_by_key(key))
                if await pipe.get(self._keys.broadcast_by_key(key)):
                    raise WatchError("created concurrently")
                pipe.multi()  # type: ignore[no-untyped-call]  # redis-py leaves it untyped
                pipe.set(self._keys.broadcast_by_key(key), broadcast_id)
            pipe.hset(self._keys.broadcast(broadcast_id), mapping=meta)
            for start in range(0, len(chats), 10_000):
                chunk = chats[start : start + 10_000]
                states: dict[Any, Any] = dict.fromkeys(chunk, "q")
                pipe.hset(self._keys.broadcast_state(broadcast_id), mapping=states)
                pipe.rpush(self._keys.broadcast_queue(broadcast_id), *chunk)
            if addresses:
                pipe.hset(self._keys.broadcast_address(broadcast_id), mapping=addresses)
            pipe.zadd(self._keys.broadcasts, {broadcast_id: _ms(now)})
            if chats:
                pipe.zadd(self._keys.broadcasts_due, {broadcast_id: meta["due_ms"]})
            await pipe.execute()
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
        for chat, state in states.items():
            if state.startswith("d|"):
                address = addresses.get(chat, "").partition("|")[0]
                items.append(
                    PlanItem(
                        chat_id=int(chat),
                        address=int(address) if address else int(chat),
                        message_id=int(state[2:]),
                    )
                )
        return sorted(items, key=lambda item: item.chat_id)

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
        return sorted(
            (_outcome(int(chat), state, addresses.get(chat)) for chat, state in states.items()),
            key=lambda o: o.chat_id,
        )

    async def post(self, broadcast_id: str) -> Post | None:
        raw = await self._redis.hget(self._keys.broadcast(broadcast_id), "post")
        return Post.model_validate_json(raw) if raw else None

    async def action(self, broadcast_id: str) -> Action:
        raw = cast(
            str | None, await self._redis.hget(self._keys.broadcast(broadcast_id), "action")
        )
        return Action(raw or "send")

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

    async def _control(self, script: Any, broadcast_id: str, to: str, verb: str) -> None:
        result = await script(
            keys=[self._keys.broadcast(broadcast_id), self._keys.broadcasts_due], args=[to]
        )
        _check(result, verb)

    # --- the worker's side ---------------------------------------------------------------

    async def due(self, now: datetime) -> list[str]:
        ids = await self._redis.zrangebyscore(self._keys.broadcasts_due, "-inf", _ms(now))
        return cast(list[str], ids)

    async def claim(self, broadcast_id: str, worker_id: str, n: int) -> list[Task]:
        flat = await self._claim(
            keys=[
                self._keys.broadcast(broadcast_id),
                self._keys.broadcast_queue(broadcast_id),
                self._keys.broadcast_state(broadcast_id),
                self._keys.broadcast_held(worker_id),
                self._keys.broadcast_address(broadcast_id),
            ],
            args=[worker_id, n, broadcast_id, utcnow().isoformat()],
        )
        tasks = []
        for chat, address in zip(flat[::2], flat[1::2], strict=True):
            where, _, message_id = address.partition("|")
            tasks.append(
                Task(
                    broadcast_id,
                    int(chat),
                    int(where) if where else int(chat),
                    int(message_id) if message_id else None,
                )
            )
        return tasks

    async def begin(self, task: Task, worker_id: str, action: Action) -> str:
        """Mark the task as being sent; anything but ``"go"`` means: do not send it."""
        keys, args = self._begin_input(task, worker_id, action)
        result: str = await self._persist(self._begin, keys, args)
        return result

    async def paced_begin(
        self, pacer: Pacer, task: Task, worker_id: str, action: Action, within: float
    ) -> tuple[Slot, str]:
        """Reserve a send slot and, if it is due within ``within`` seconds, ``begin`` at
        once: one round trip instead of two. The verdict is "" when not begun."""
        pace_keys, pace_args = pacer.script_input(task.address)
        keys, args = self._begin_input(task, worker_id, action)
        reply = await self._persist(
            self._paced_begin, [*pace_keys, *keys], [*pace_args, *args, within * 1000.0]
        )
        return Pacer.slot(reply), str(reply[3])

    def _begin_input(
        self, task: Task, worker_id: str, action: Action
    ) -> tuple[list[str], list[Any]]:
        bid = task.broadcast_id
        keys = [
            self._keys.broadcast(bid),
            self._keys.broadcast_state(bid),
            self._keys.broadcast_held(worker_id),
            self._keys.broadcasts_due,
            self._keys.broadcast_queue(bid),
            self._keys.group(task.address),
        ]
        return keys, [worker_id, task.chat_id, bid, action.value, utcnow().isoformat()]

    async def delivered(self, task: Task, worker_id: str, message_id: int) -> str:
        return await self._settle(task, worker_id, "delivered", str(message_id))

    async def failed(self, task: Task, worker_id: str, reason: FailReason) -> str:
        return await self._settle(task, worker_id, "failed", reason.value)

    async def skipped(self, task: Task, worker_id: str, reason: SkipReason) -> str:
        return await self._settle(task, worker_id, "skipped", reason.value)

    async def unknown(self, task: Task, worker_id: str) -> str:
        """The reply was lost and the policy is "report": settle it as unknown."""
        return await self._settle(task, worker_id, "unknown", "")

    async def retry(self, task: Task, worker_id: str, *, lost_reply: bool = False) -> str:
        """Back from sending to held; ``lost_reply`` counts it as an unknown outcome resent."""
        return await self._settle(task, worker_id, "resend" if lost_reply else "retry", "")

    async def migrated(self, task: Task, worker_id: str, new_chat_id: int) -> str:
        """``"retry"`` (send to the new id) or ``"merged"`` (the plan has that group)."""
        return await self._settle(task, worker_id, "migrated", str(new_chat_id))

    async def release(self, task: Task, worker_id: str) -> str:
        """Give a held task back to the queue (pause, quiet hours, shutdown)."""
        return await self._settle(task, worker_id, "release", "")

    async def _settle(self, task: Task, worker_id: str, kind: str, value: str) -> str:
        bid = task.broadcast_id
        result: str = await self._persist(
            self._finish,
            [
                self._keys.broadcast(bid),
                self._keys.broadcast_state(bid),
                self._keys.broadcast_held(worker_id),
                self._keys.broadcasts_due,
                self._keys.broadcast_queue(bid),
                self._keys.broadcast_address(bid),
                self._keys.broadcast_unknown(bid),
            ],
            [worker_id, task.chat_id, bid, kind, value, utcnow().isoformat()],
        )
        return result

    async def _persist(self, script: AsyncScript, keys: list[Any], args: list[Any]) -> Any:
        """A worker's script call, repeated while Redis is unreachable (up to a minute).

        Every such script may run twice safely: when the reply to the first call is lost,
        the second finds the first one's effect and answers the same.
        """
        delay = 0.1
        loop = asyncio.get_running_loop()
        deadline = loop.time() + PERSIST_SECONDS
        while True:
            try:
                return await self._batched(script, keys, args)
            except (ConnectionError, TimeoutError, RedisConnectionError, RedisTimeoutError):
                if loop.time() + delay > deadline:
                    raise
                log.warning("Redis unreachable; recording again in %.1f s", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    # --- liveness ------------------------------------------------------------------------

    async def register(self, worker_id: str) -> None:
        await self._heartbeat(keys=[self._keys.broadcast_workers], args=[worker_id, "0"])

    async def heartbeat(self, worker_id: str) -> bool:
        """False when this worker was declared dead and its tasks were taken over."""
        alive = await self._heartbeat(keys=[self._keys.broadcast_workers], args=[worker_id, "1"])
        return bool(alive)

    async def live_workers(self, max_age: float) -> int:
        silent = await self._silent(keys=[self._keys.broadcast_workers], args=[max_age * 1000])
        total = await self._redis.zcard(self._keys.broadcast_workers)
        return int(total) - len(silent)

    async def reap(self, max_age: float, policy: UnknownPolicy) -> list[tuple[str, int, int]]:
        """Take over the tasks of every worker silent for ``max_age`` seconds.

        Returns (worker, tasks requeued, sends with an unknown outcome) per dead worker.
        """
        silent = await self._silent(keys=[self._keys.broadcast_workers], args=[max_age * 1000])
        reaped = []
        for worker_id in silent:
            requeued, unknown = await self._take(worker_id, max_age * 1000, policy)
            if requeued >= 0:
                reaped.append((worker_id, requeued, unknown))
        return reaped

    async def hand_back(self, worker_id: str, policy: UnknownPolicy) -> tuple[int, int]:
        """A worker shutting down gives back everything it holds (sends still in flight
        have an unknown outcome) and unregisters."""
        return await self._take(worker_id, -1e15, policy)

    async def held(self, worker_id: str) -> set[str]:
        """What a worker holds in Redis, as ``"<broadcast id>|<chat id>"``."""
        return cast(set[str], await self._redis.smembers(self._keys.broadcast_held(worker_id)))

    async def take_orphans(
        self, worker_id: str, members: Iterable[str], policy: UnknownPolicy
    ) -> tuple[int, int]:
        """Settle tasks a live worker holds in Redis but lost track of (a reply lost
        between Redis and the worker): as if the worker had died holding just those."""
        found = list(members)
        if not found:
            return 0, 0
        return await self._take(worker_id, 0, policy, found)

    async def _take(
        self, worker_id: str, max_age_ms: float, policy: str, members: Sequence[str] = ()
    ) -> tuple[int, int]:
        requeued, unknown = await self._takeover(
            keys=[
                self._keys.broadcast_workers,
                self._keys.broadcast_held(worker_id),
                self._keys.broadcasts_due,
            ],
            args=[
                worker_id,
                max_age_ms,
                policy,
                utcnow().isoformat(),
                *self._templates,
                *members,
            ],
        )
        return int(requeued), int(unknown)


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
        unknown_chats=sorted(int(chat) for chat in unknown),
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


def _outcome(chat_id: int, state: str, address: str | None) -> GroupOutcome:
    code, _, rest = state.partition("|")
    where = (address or "").partition("|")[0]
    return GroupOutcome(
        chat_id=chat_id,
        state=_STATE_NAMES.get(code, code),
        reason=rest if code in ("f", "k") else None,
        message_id=int(rest) if code == "d" else None,
        address=int(where) if where and int(where) != chat_id else None,
    )
