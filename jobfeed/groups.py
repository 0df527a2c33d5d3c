"""The group matrix in Redis: one hash per group plus a set of every group's address.

Groups are keyed by their ``Address`` (``telegram:-100123``). The methods take an address,
or a bare integer chat id meaning a chat of the default channel (``Address.of``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, cast

from redis.asyncio import Redis

from jobfeed.channels import DEFAULT_CHANNEL, Address, ChatId
from jobfeed.keys import Keys
from jobfeed.lua import load_script
from jobfeed.models import Group, GroupFilter, GroupKind, GroupTags, utcnow

GroupRef = Address | int


def _to_hash(group: Group) -> dict[Any, Any]:
    return {
        "channel": group.channel,
        "chat_id": str(group.chat_id),
        "title": group.title,
        "kind": group.kind.value,
        "city": group.city or "",
        "province": group.province or "",
        "industries": json.dumps(group.industries, ensure_ascii=False),
        "active": "1" if group.active else "0",
        "inactive_reason": group.inactive_reason or "",
        "updated_at": group.updated_at.isoformat(),
    }


def _from_hash(data: Mapping[Any, Any]) -> Group:
    return Group(
        channel=data.get("channel") or DEFAULT_CHANNEL,
        chat_id=data["chat_id"],
        title=data.get("title", ""),
        kind=GroupKind(data.get("kind") or GroupKind.community),
        city=data.get("city") or None,
        province=data.get("province") or None,
        industries=json.loads(data.get("industries") or "[]"),
        active=data.get("active", "1") == "1",
        inactive_reason=data.get("inactive_reason") or None,
        updated_at=data.get("updated_at") or utcnow(),
    )


class GroupRepository:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys
        self._migrate = load_script(redis, "jobfeed", "migrate_group")

    async def upsert(self, group: Group) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._keys.group(group.address), mapping=_to_hash(group))
            pipe.sadd(self._keys.groups, str(group.address))
            await pipe.execute()

    async def upsert_many(self, groups: Iterable[Group]) -> int:
        count = 0
        async with self._redis.pipeline(transaction=False) as pipe:
            for group in groups:
                pipe.hset(self._keys.group(group.address), mapping=_to_hash(group))
                pipe.sadd(self._keys.groups, str(group.address))
                count += 1
            await pipe.execute()
        return count

    async def get(self, ref: GroupRef) -> Group | None:
        data = await self._redis.hgetall(self._keys.group(Address.of(ref)))
        return _from_hash(data) if data else None

    async def joined(self, ref: GroupRef, title: str) -> Group:
        """The bot was added to a chat: register it, or reactivate it keeping its tags."""
        address = Address.of(ref)
        group = await self.get(address) or Group(channel=address.channel, chat_id=address.chat_id)
        group = group.model_copy(
            update={
                "title": title,
                "active": True,
                "inactive_reason": None,
                "updated_at": utcnow(),
            }
        )
        await self.upsert(group)
        return group

    async def deactivate(self, ref: GroupRef, reason: str) -> None:
        key = self._keys.group(Address.of(ref))
        if await self._redis.exists(key):
            await self._redis.hset(
                key,
                mapping={
                    "active": "0",
                    "inactive_reason": reason,
                    "updated_at": utcnow().isoformat(),
                },
            )

    async def tag(self, ref: GroupRef, tags: GroupTags) -> Group | None:
        group = await self.get(ref)
        if group is None:
            return None
        group = group.model_copy(
            update={**tags.model_dump(exclude_none=True), "updated_at": utcnow()}
        )
        await self.upsert(group)
        return group

    async def migrate(self, old: GroupRef, new: GroupRef) -> None:
        """A group moved to another chat of the same channel (Telegram's supergroups)."""
        old, new = Address.of(old), Address.of(new)
        await self._migrate(
            keys=[
                self._keys.group(old),
                self._keys.group(new),
                self._keys.groups,
                self._keys.group_migrated(old),
            ],
            args=[str(old), str(new), new.chat, new.channel, utcnow().isoformat()],
        )

    async def migrated_to(self, ref: GroupRef) -> ChatId | None:
        """The chat (of the same channel) a group migrated to, if it did."""
        value = cast(str | None, await self._redis.get(self._keys.group_migrated(Address.of(ref))))
        return Address.parse(value).chat_id if value else None

    async def all(self) -> list[Group]:
        # In the order of their text, as the chat ids' text was ordered before addresses.
        members = sorted(cast(set[str], await self._redis.smembers(self._keys.groups)))
        addresses = [Address.parse(member) for member in members]
        async with self._redis.pipeline(transaction=False) as pipe:
            for address in addresses:
                pipe.hgetall(self._keys.group(address))
            rows = await pipe.execute()
        return [_from_hash(row) for row in rows if row]

    async def select(self, target: GroupFilter) -> list[Group]:
        return [group for group in await self.all() if target.matches(group)]

    async def count(self) -> int:
        return int(await self._redis.scard(self._keys.groups))
