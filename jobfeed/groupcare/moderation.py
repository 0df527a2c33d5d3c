"""Scam and spam removal as a use case: exceptions the admins taught, strikes per member,
the penalty the group's policy gives, cases with their one-tap restore, and a log of
every action."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from jobfeed.groupcare.scams import Probe, ScamChecker, Verdict, message_key
from jobfeed.groupcare.settings import Policy
from jobfeed.keys import Keys

log = logging.getLogger(__name__)

KEEP_LOG = 10_000
Clock = Callable[[], datetime]


class Action(StrEnum):
    deleted = "deleted"  # the bot removed the message
    reported = "reported"  # the bot could not remove it: the admins were told


class Penalty(StrEnum):
    none = "none"
    warned = "warned"
    muted = "muted"
    banned = "banned"


def penalty_for(policy: Policy, strikes: int) -> Penalty:
    """Warned once, then the group's policy (a ``warn`` group only ever warns)."""
    if policy is Policy.off:
        return Penalty.none
    if policy is Policy.warn or strikes <= 1:
        return Penalty.warned
    return Penalty.muted if policy is Policy.mute else Penalty.banned


class Case(BaseModel):
    number: int
    at: datetime
    group: int
    group_title: str = ""
    member: int
    member_name: str
    message: int
    text: str
    rule: str
    kind: str
    span: str
    why: str
    action: Action
    penalty: Penalty
    restored_by: int | None = None

    @property
    def exception_key(self) -> str:
        return f"{self.rule}\t{self.span}"


class LogEntry(BaseModel):
    at: datetime
    case: int
    action: str  # deleted, reported, warned, muted, banned, restored
    group: int
    member: int
    by: int | None = None  # the admin, for a restore


class Moderation:
    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        checker: ScamChecker,
        *,
        clock: Clock = lambda: datetime.now(UTC),
    ) -> None:
        self._redis = redis
        self._keys = keys
        self.checker = checker
        self._clock = clock

    def suspect(self, probe: Probe) -> Verdict | None:
        """The in-memory check every group message gets (no Redis)."""
        return self.checker.check(probe)

    async def verdict(self, probe: Probe, own: tuple[str, ...] = ()) -> Verdict | None:
        """The check again with the exceptions the admins taught (read only for suspects)
        and ``own`` links (the bot's) that are never another group's."""
        members = await self._redis.smembers(self._keys.moderation_exceptions)
        exceptions = frozenset(str(member) for member in members)
        checker = self.checker.with_links((*self.checker.own_links, *own))
        return checker.check(probe, exceptions)

    async def strike(self, group: int, member: int) -> int:
        return int(await self._redis.hincrby(self._keys.moderation_strikes(group), str(member)))

    async def open_case(
        self,
        *,
        group: int,
        group_title: str,
        member: int,
        member_name: str,
        message: int,
        text: str,
        verdict: Verdict,
        action: Action,
        penalty: Penalty,
    ) -> Case:
        number = int(await self._redis.incr(self._keys.moderation_seq))
        case = Case(
            number=number,
            at=self._clock(),
            group=group,
            group_title=group_title,
            member=member,
            member_name=member_name,
            message=message,
            text=text,
            rule=verdict.rule,
            kind=verdict.kind,
            span=verdict.span,
            why=verdict.message,
            action=action,
            penalty=penalty,
        )
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._keys.moderation_case(number), "data", case.model_dump_json())
            for done in (action.value, penalty.value):
                if done != Penalty.none:
                    self._log(pipe, LogEntry(at=case.at, case=number, action=done,
                                             group=group, member=member))  # fmt: skip
            await pipe.execute()
        log.info(
            "Moderation case %s in %s: %s %s (%s), member %s",
            number, group, action.value, penalty.value, verdict.rule, member,
        )  # fmt: skip
        return case

    async def case(self, number: int) -> Case | None:
        raw = await self._redis.hgetall(self._keys.moderation_case(number))
        if not raw.get("data"):
            return None
        case = Case.model_validate_json(raw["data"])
        if raw.get("restored_by"):
            case.restored_by = int(raw["restored_by"])
        return case

    async def restore(self, number: int, by: int) -> tuple[Case | None, bool]:
        """The admin ``by`` restores case ``number``: its rule and span become an
        exception, the member's strikes in the group are cleared. Returns the case and
        whether this call restored it (False: unknown, or restored already)."""
        case = await self.case(number)
        if case is None:
            return None, False
        first = await self._redis.hsetnx(self._keys.moderation_case(number), "restored_by", by)
        if not first:
            return case, False
        case.restored_by = by
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.sadd(self._keys.moderation_exceptions, case.exception_key)
            if case.text:
                pipe.sadd(self._keys.moderation_exceptions, message_key(case.text))
            pipe.hdel(self._keys.moderation_strikes(case.group), str(case.member))
            self._log(pipe, LogEntry(at=self._clock(), case=number, action="restored",
                                     group=case.group, member=case.member, by=by))  # fmt: skip
            await pipe.execute()
        log.info("Moderation case %s restored by %s", number, by)
        return case, True

    async def recent(self, offset: int = 0, limit: int = 50) -> tuple[int, list[LogEntry]]:
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.llen(self._keys.moderation_log)
            pipe.lrange(self._keys.moderation_log, offset, offset + limit - 1)
            total, rows = await pipe.execute()
        return int(total), [LogEntry.model_validate_json(row) for row in rows]

    def _log(self, pipe: Pipeline, entry: LogEntry) -> None:
        pipe.lpush(self._keys.moderation_log, entry.model_dump_json())
        pipe.ltrim(self._keys.moderation_log, 0, KEEP_LOG - 1)
