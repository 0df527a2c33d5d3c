"""Questions handed to a person: the asker's question goes to the admins, the first admin's
answer goes back to the asker through the bot."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel
from redis.asyncio import Redis

from jobfeed.groupcare.faq import FaqStore
from jobfeed.keys import Keys

log = logging.getLogger(__name__)

KEEP_DAYS = 30
Clock = Callable[[], datetime]


class Status(StrEnum):
    offered = "offered"  # the bot could not answer and offered a person
    open = "open"  # sent to the admins, waiting for an answer
    answered = "answered"


class Escalation(BaseModel):
    number: int
    asker: int
    asker_name: str
    question: str
    status: Status
    at: datetime
    answered_by: int | None = None
    answer: str | None = None
    to: list[int] = []  # who may answer: the vacancy's recruiter, else the admins


class Escalations:
    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        faq: FaqStore,
        *,
        clock: Clock = lambda: datetime.now(UTC),
    ) -> None:
        self._redis = redis
        self._keys = keys
        self._faq = faq
        self._clock = clock

    async def offer(self, asker: int, asker_name: str, question: str) -> Escalation:
        """A question the bot could not answer, kept for the asker's 转人工 tap."""
        number = int(await self._redis.incr(self._keys.escalation_seq))
        found = Escalation(
            number=number,
            asker=asker,
            asker_name=asker_name,
            question=question[:1000],
            status=Status.offered,
            at=self._clock(),
        )
        key = self._keys.escalation(number)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping={"data": found.model_dump_json(), "status": found.status})
            pipe.expire(key, KEEP_DAYS * 86400)
            await pipe.execute()
        return found

    async def escalate(self, number: int, asker: int, to: list[int]) -> Escalation | None:
        """The asker taps 转人工: the question opens for ``to`` (once)."""
        found = await self.get(number)
        if found is None or found.asker != asker or found.status is not Status.offered:
            return None
        key = self._keys.escalation(number)
        if not await self._redis.hsetnx(key, "opened", "1"):
            return None
        await self._redis.hset(key, mapping={"status": Status.open, "to": json.dumps(to)})
        await self._faq.count("escalated")
        log.info("Question %s escalated", number)
        return found.model_copy(update={"status": Status.open, "to": to})

    async def ask(self, asker: int, asker_name: str, question: str, to: list[int]) -> Escalation:
        """转人工 with the question: offered and opened at once."""
        offered = await self.offer(asker, asker_name, question)
        opened = await self.escalate(offered.number, asker, to)
        assert opened is not None  # just offered, by this asker
        return opened

    async def answer(self, number: int, by: int, text: str) -> Escalation | None:
        """The first admin's answer; None when the question is unknown or answered."""
        found = await self.get(number)
        if found is None or found.status is not Status.open:
            return None
        key = self._keys.escalation(number)
        if not await self._redis.hsetnx(key, "answered_by", by):
            return None
        answered = found.model_copy(
            update={"status": Status.answered, "answered_by": by, "answer": text}
        )
        await self._redis.hset(key, mapping={"status": Status.answered, "answer": text})
        log.info("Question %s answered by %s", number, by)
        return answered

    async def get(self, number: int) -> Escalation | None:
        raw = await self._redis.hgetall(self._keys.escalation(number))
        if not raw.get("data"):
            return None
        found = Escalation.model_validate_json(raw["data"])
        updates: dict[str, object] = {"status": Status(str(raw.get("status", found.status)))}
        if raw.get("to"):
            updates["to"] = [int(person) for person in json.loads(str(raw["to"]))]
        if raw.get("answered_by"):
            updates |= {"answered_by": int(raw["answered_by"]), "answer": raw.get("answer")}
        return found.model_copy(update=updates)
