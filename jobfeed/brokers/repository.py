"""Brokers and attribution in Redis.

Attribution is first touch: the first broker whose link brought a person keeps them
(``HSETNX``), and a broker's own link brings nobody (no self-referral). Only approved
brokers attribute; a pending or rejected broker's code counts nothing.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Any, cast

from redis.asyncio import Redis

from jobfeed.brokers.models import CODE, CODE_ALPHABET, CODE_LENGTH, Broker, BrokerStatus
from jobfeed.keys import Keys
from jobfeed.lua import load_script
from jobfeed.models import utcnow

_PERSON = re.compile(r"-?[0-9]+")  # a web applicant's number is negative


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class BrokerRepository:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys
        self._attribute = load_script(redis, "jobfeed.brokers", "attribute")

    # -- the role -----------------------------------------------------------------------

    async def apply(self, person: int, name: str, area: str, licence: str) -> Broker:
        """Ask for the role (again): keeps the code of an earlier request."""
        current = await self.get(person)
        code = current.code if current else await self._free_code(person)
        broker = Broker(person=person, code=code, name=name, area=area, licence=licence)
        if current is not None and current.approved:
            broker = broker.model_copy(update={"status": BrokerStatus.approved})
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(self._keys.broker(person), broker.model_dump_json())
            if not broker.approved:
                pipe.sadd(self._keys.brokers_pending, person)
            await pipe.execute()
        return broker

    async def _free_code(self, person: int) -> str:
        while True:
            code = new_code()
            if await self._redis.hsetnx(self._keys.broker_codes, code, person):
                return code

    async def decide(self, person: int, approve: bool) -> Broker | None:
        broker = await self.get(person)
        if broker is None:
            return None
        status = BrokerStatus.approved if approve else BrokerStatus.rejected
        broker = broker.model_copy(update={"status": status, "decided_at": utcnow()})
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(self._keys.broker(person), broker.model_dump_json())
            pipe.srem(self._keys.brokers_pending, person)
            await pipe.execute()
        return broker

    async def get(self, person: int) -> Broker | None:
        raw = await self._redis.get(self._keys.broker(person))
        return Broker.model_validate_json(raw) if raw else None

    async def by_code(self, code: str) -> Broker | None:
        if not CODE.fullmatch(code):
            return None
        person = await self._redis.hget(self._keys.broker_codes, code)
        return await self.get(int(person)) if person else None

    async def pending(self) -> list[Broker]:
        members: Any = await self._redis.smembers(self._keys.brokers_pending)
        found = [await self.get(int(m)) for m in sorted(members)]
        return [b for b in found if b is not None]

    async def approved(self) -> list[Broker]:
        codes: Any = await self._redis.hgetall(self._keys.broker_codes)
        found = [await self.get(int(p)) for p in codes.values()]
        return sorted((b for b in found if b is not None and b.approved), key=lambda b: b.code)

    # -- attribution --------------------------------------------------------------------

    async def attribute(self, person: int, code: str, at: datetime) -> Broker | None:
        """``person`` came through ``code``'s link: the broker who now has them, if any.

        Returns None for an unknown or unapproved code and for the broker themselves."""
        broker = await self.by_code(code)
        if broker is None or not broker.approved or broker.person == person:
            return None
        keys = [self._keys.broker_touch, self._keys.broker_people(broker.code)]
        owner = await self._attribute(keys=keys, args=[str(person), broker.code, at.timestamp()])
        return broker if owner == broker.code else await self.by_code(str(owner))

    async def code_of(self, person: int) -> str | None:
        """The code of the broker who brought ``person``, if any (kept on applications)."""
        return cast(str | None, await self._redis.hget(self._keys.broker_touch, str(person)))

    async def source_of(self, person: int) -> Broker | None:
        code = cast(str | None, await self._redis.hget(self._keys.broker_touch, str(person)))
        return await self.by_code(code) if code else None

    async def people(self, code: str) -> list[int]:
        """The ids of the people a broker brought who have not been forgotten."""
        members: Any = await self._redis.zrange(self._keys.broker_people(code), 0, -1)
        return [int(m) for m in members if _PERSON.fullmatch(m)]  # not a "gone:" mark

    async def invite_links(self, code: str) -> dict[str, str]:
        """group address -> the invite link made for the broker there."""
        found: Any = await self._redis.hgetall(self._keys.broker_invite_links(code))
        return dict(found)

    async def add_invite_link(self, code: str, group: str, link: str) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._keys.broker_invites, link, code)
            pipe.hset(self._keys.broker_invite_links(code), group, link)
            await pipe.execute()

    async def joined_through(self, person: int, link: str, at: datetime) -> Broker | None:
        """A member joined a group through ``link``: attributed when it is a broker's."""
        code = cast(str | None, await self._redis.hget(self._keys.broker_invites, link))
        return await self.attribute(person, code, at) if code else None

    async def visited(self, code: str) -> None:
        await self._redis.incr(self._keys.broker_visits(code))

    async def visits(self, code: str) -> int:
        return int(await self._redis.get(self._keys.broker_visits(code)) or 0)

    async def forget(self, person: int) -> None:
        """The person's id leaves the broker's list, a nameless mark keeps the count."""
        code = cast(str | None, await self._redis.hget(self._keys.broker_touch, str(person)))
        if not code:
            return
        people = self._keys.broker_people(code)
        when = await self._redis.zscore(people, str(person))
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hdel(self._keys.broker_touch, str(person))
            pipe.zrem(people, str(person))
            if when is not None:
                pipe.zadd(people, {f"gone:{secrets.token_hex(8)}": when})
            await pipe.execute()

    async def brought(self, code: str) -> int:
        return int(await self._redis.zcard(self._keys.broker_people(code)))
