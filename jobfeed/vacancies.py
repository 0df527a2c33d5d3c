"""Vacancies in Redis: one hash of JSON documents, a version counter and a change channel."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence

from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.models import Vacancy, VacancyStatus, utcnow


class VacancyRepository:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys

    async def save(self, vacancy: Vacancy) -> bool:
        """Store a vacancy (insert or replace); returns True when it is new."""
        return (await self.save_many([vacancy]))[0]

    async def save_many(self, vacancies: Sequence[Vacancy]) -> list[bool]:
        if not vacancies:
            return []
        async with self._redis.pipeline(transaction=True) as pipe:
            for vacancy in vacancies:
                pipe.hset(self._keys.vacancies, vacancy.id, vacancy.model_dump_json())
            pipe.incr(self._keys.vacancies_version)
            for vacancy in vacancies:
                pipe.publish(self._keys.vacancies_changes, vacancy.id)
            results = await pipe.execute()
        return [bool(created) for created in results[: len(vacancies)]]

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
