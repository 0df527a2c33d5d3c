"""The group matrix in Redis: one hash per group plus a set of all chat ids."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.lua import load_script
from jobfeed.models import Group, GroupFilter, GroupKind, GroupTags, utcnow


def _to_hash(group: Group) -> dict[Any, Any]:
    return {
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
        chat_id=int(data["chat_id"]),
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
            pipe.hset(self._keys.group(group.chat_id), mapping=_to_hash(group))
            pipe.sadd(self._keys.groups, str(group.chat_id))
            await pipe.execute()

    async def upsert_many(self, groups: Iterable[Group]) -> int:
        count = 0
        async with self._redis.pipeline(transaction=False) as pipe:
            for group in groups:
                pipe.hset(self._keys.group(group.chat_id), mapping=_to_hash(group))
                pipe.sadd(self._keys.groups, str(group.chat_id))
                count += 1
            await pipe.execute()
        return count

    async def get(self, chat_id: int) -> Group | None:
        data = await self._redis.hgetall(self._keys.group(chat_id))
        return _from_hash(data) if data else None

    async def joined(self, chat_id: int, title: str) -> Group:
        """The bot was added to a chat: register it, or reactivate it keeping its tags."""
        group = await self.get(chat_id) or Group(chat_id=chat_id)
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

    async def deactivate(self, chat_id: int, reason: str) -> None:
        key = self._keys.group(chat_id)
        if await self._redis.exists(key):
            await self._redis.hset(
                key,
                mapping={
                    "active": "0",
                    "inactive_reason": reason,
                    "updated_at": utcnow().isoformat(),
                },
            )

    async def tag(self, chat_id: int, tags: GroupTags) -> Group | None:
        group = await self.get(chat_id)
        if group is None:
            return None
        group = group.model_copy(
            update={**tags.model_dump(exclude_none=True), "updated_at": utcnow()}
        )
        await self.upsert(group)
        return group

    async def migrate(self, old_chat_id: int, new_chat_id: int) -> None:
        await self._migrate(
            keys=[
                self._keys.group(old_chat_id),
                self._keys.group(new_chat_id),
                self._keys.groups,
                self._keys.group_migrated(old_chat_id),
            ],
            args=[str(old_chat_id), str(new_chat_id), utcnow().isoformat()],
        )

    async def migrated_to(self, chat_id: int) -> int | None:
        value = await self._redis.get(self._keys.group_migrated(chat_id))
        return int(value) if value else None

    async def all(self) -> list[Group]:
        ids = sorted(await self._redis.smembers(self._keys.groups))
        async with self._redis.pipeline(transaction=False) as pipe:
            for chat_id in ids:
                pipe.hgetall(self._keys.group(int(chat_id)))
            rows = await pipe.execute()
        return [_from_hash(row) for row in rows if row]

    async def select(self, target: GroupFilter) -> list[Group]:
        return [group for group in await self.all() if target.matches(group)]

    async def count(self) -> int:
        return int(await self._redis.scard(self._keys.groups))
