"""Vacancies in Redis: one hash of JSON documents, a version counter and a change channel.

Every save also keeps listings current, in the same atomic script: active vacancies by
posting time (overall and per city, for the web pages) and by expiry (for the sweeper).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from jobfeed.keys import Keys
from jobfeed.lua import load_script
from jobfeed.models import Vacancy, VacancyStatus, utcnow

AlsoWrite = Callable[[Pipeline], Any]


class VacancyRepository:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys
        self._save_script = load_script(redis, "jobfeed", "save_vacancies")

    async def save(self, vacancy: Vacancy) -> bool:
        """Store a vacancy (insert or replace); returns True when it is new."""
        return (await self.save_many([vacancy]))[0]

    async def save_many(
        self, vacancies: Sequence[Vacancy], *, also: AlsoWrite | None = None
    ) -> list[bool]:
        """Store vacancies (insert or replace), one atomic step; True for each new one.

        ``also`` adds writes of the caller's own to the same transaction (an importer's
        bookkeeping), so that either everything or nothing is written.
        """
        if not vacancies:
            return []
        async with self._redis.pipeline(transaction=True) as pipe:
            await self._script(pipe, "save", vacancies)
            if also is not None:
                also(pipe)
            results = await pipe.execute()
        return [bool(created) for created in results[0]]

    async def _script(self, pipe: Pipeline, mode: str, vacancies: Sequence[Vacancy]) -> None:
        k = self._keys
        args: list[Any] = [k.vacancies_active_city_prefix, k.vacancies_changes, mode]
        for vacancy in vacancies:
            listed = vacancy.status is VacancyStatus.active
            expires = vacancy.expires_at.timestamp() if vacancy.expires_at else ""
            doc = vacancy.model_dump_json() if mode == "save" else ""
            args += [vacancy.id, doc, int(listed), vacancy.posted_at.timestamp(), expires]
            args.append(vacancy.city)
        keys = [k.vacancies, k.vacancies_city, k.vacancies_active, k.vacancies_expiry]
        await self._save_script(
            keys=[*keys, k.vacancies_version, k.vacancies_opened], args=args, client=pipe
        )

    async def ensure_listings(self, batch: int = 1000) -> int:
        """Rebuild the listings if vacancies were written around ``save_many`` (or before
        the listings existed); returns how many vacancies were looked at."""
        if await self._redis.hlen(self._keys.vacancies_city) == await self.count():
            return 0
        seen, chunk = 0, []
        async for vacancy in self.iter_all(batch):
            chunk.append(vacancy)
            if len(chunk) >= batch:
                seen += await self._index(chunk)
                chunk = []
        return seen + await self._index(chunk)

    async def _index(self, vacancies: list[Vacancy]) -> int:
        if vacancies:
            async with self._redis.pipeline(transaction=True) as pipe:
                await self._script(pipe, "index", vacancies)
                await pipe.execute()
        return len(vacancies)

    async def active_page(
        self, city: str | None = None, offset: int = 0, limit: int = 20
    ) -> tuple[int, list[Vacancy]]:
        """Active vacancies, newest first, optionally in one city: (total, one page)."""
        key = self._keys.vacancies_active
        if city:
            key = self._keys.vacancies_active_city_prefix + city
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.zcard(key)
            pipe.zrevrange(key, offset, offset + limit - 1)
            total, ids = await pipe.execute()
        return int(total), await self.get_many(ids)

    async def due_to_expire(self, now: datetime, limit: int = 500) -> list[str]:
        """Ids of listed vacancies whose expiry time has passed, oldest first."""
        found = await self._redis.zrangebyscore(
            self._keys.vacancies_expiry, "-inf", now.timestamp(), start=0, num=limit
        )
        return [str(vacancy_id) for vacancy_id in found]

    async def get(self, vacancy_id: str) -> Vacancy | None:
        raw = await self._redis.hget(self._keys.vacancies, vacancy_id)
        return Vacancy.model_validate_json(raw) if raw else None

    async def get_many(self, ids: Iterable[str]) -> list[Vacancy]:
        wanted = list(ids)
        if not wanted:
            return []
        rows = await self._redis.hmget(self._keys.vacancies, wanted)
        return [Vacancy.model_validate_json(raw) for raw in rows if raw]

    async def iter_all(self, batch: int = 1000) -> AsyncIterator[Vacancy]:
        async for _, raw in self._redis.hscan_iter(self._keys.vacancies, count=batch):
            yield Vacancy.model_validate_json(raw)

    async def all(self) -> list[Vacancy]:
        return [vacancy async for vacancy in self.iter_all()]

    async def set_status(self, vacancy_id: str, status: VacancyStatus) -> Vacancy | None:
        vacancy = await self.get(vacancy_id)
        if vacancy is None:
            return None
        vacancy = vacancy.model_copy(update={"status": status, "updated_at": utcnow()})
        await self.save(vacancy)
        return vacancy

    async def version(self) -> int:
        return int(await self._redis.get(self._keys.vacancies_version) or 0)

    async def count(self) -> int:
        return int(await self._redis.hlen(self._keys.vacancies))
