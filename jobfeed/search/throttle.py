"""Whether the bot may answer a search in a group now, so that it never floods one.

Two budgets: one answer per user every ``user_interval`` seconds (across groups) and at
most ``group_limit`` answers in a group per ``group_window``. Then the answer takes a send
slot from the broadcast pacer, so answers and broadcasts together stay within Telegram's
20 messages a minute in the group. Whatever says no, the bot keeps quiet: an answer that
comes minutes later would only confuse a chat that has moved on.

The budgets are held in Redis (every process answering updates shares them) and checked
and taken in one script. A message handled again after a crash is admitted again, so
its answer is not lost, and counted once.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from redis.asyncio import Redis

from jobfeed.broadcast.pacing import Pacer, Slot
from jobfeed.keys import Keys
from jobfeed.lua import load_script


@dataclass(frozen=True, slots=True)
class ReplyLimits:
    user_interval: float = 15.0  # seconds between two answers to one user
    group_limit: int = 6  # answers in one group per window
    group_window: float = 60.0


@dataclass(frozen=True, slots=True)
class Admission:
    chat_id: int
    user_id: int
    member: str
    slot: Slot


class ReplyGate:
    def __init__(self, redis: Redis, keys: Keys, pacer: Pacer, limits: ReplyLimits) -> None:
        self._keys = keys
        self._pacer = pacer
        self._limits = limits
        self._admit = load_script(redis, "jobfeed.search", "admit_reply")
        self._release = load_script(redis, "jobfeed.search", "release_reply")

    @property
    def limits(self) -> ReplyLimits:
        return self._limits

    async def admit(self, chat_id: int, user_id: int, message_id: int) -> Admission | None:
        """A go-ahead to answer message ``message_id`` of ``user_id`` in ``chat_id`` now
        (having waited the moment the pacer asks for), or None to stay quiet."""
        member = f"{chat_id}:{message_id}"
        keys = self._keys_of(chat_id, user_id)
        limits = self._limits
        args: list[str | int] = [
            int(limits.user_interval * 1000),
            limits.group_limit,
            int(limits.group_window * 1000),
            member,
        ]
        if not int(await self._admit(keys=keys, args=args)):
            return None
        slot = await self._pacer.reserve(chat_id)
        if not slot.granted:
            await self._release(keys=keys, args=[member])
            return None
        if slot.wait > 0:
            await asyncio.sleep(slot.wait)  # at most the pacer's horizon (a second)
        return Admission(chat_id, user_id, member, slot)

    async def sent(self, admission: Admission) -> None:
        """The answer's reply came back: its request reached the channel by now."""
        await self._pacer.sent(admission.slot)

    async def unused(self, admission: Admission) -> None:
        """The answer did not go out: the group's minute budget gets its slot back."""
        await self._pacer.unused(admission.chat_id, admission.slot)

    async def penalize(self, seconds: float) -> None:
        """Telegram answered 429: broadcasts and answers alike hold back."""
        await self._pacer.penalize(seconds)

    def _keys_of(self, chat_id: int, user_id: int) -> list[str]:
        return [self._keys.search_reply_user(user_id), self._keys.search_reply_group(chat_id)]
