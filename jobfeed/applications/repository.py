"""Résumés and applications in Redis.

An application is a hash of non-personal fields (number, vacancy, recruiter, status)
plus a personal part (the résumé snapshot and screening answers) that expires with the
retention period and is deleted by ``forget``. Filing an application is one script
(``scripts/file_application.lua``), keyed by (applicant, vacancy): a retry after a lost
reply finds the application it already filed instead of filing a second one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar, cast

from pydantic import BaseModel
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from jobfeed.applications.claims import DeliveryClaims
from jobfeed.applications.models import (
    AccessAction,
    AccessRecord,
    Application,
    ApplicationDraft,
    ApplicationSource,
    ApplicationStatus,
    Consent,
    Resume,
    ScreeningAnswer,
    StatusChange,
)
from jobfeed.keys import Keys
from jobfeed.legacy import FIRST_CHANNEL
from jobfeed.lua import load_script
from jobfeed.models import utcnow
from jobfeed.replication import ReplicaWait, run_script

log = logging.getLogger(__name__)
T = TypeVar("T")

DAY = 86_400
PACKAGE = "jobfeed.applications"


class _Record(BaseModel):
    """The part of an application that stays after its personal data is gone."""

    number: int
    vacancy_id: str
    vacancy_title: str
    employer: str
    recruiter_id: int | None
    qualified: bool
    consent: Consent
    created_at: datetime
    source: ApplicationSource = FIRST_CHANNEL  # older records: the chat
    broker: str | None = None


class _Personal(BaseModel):
    resume: Resume
    screening: list[ScreeningAnswer]


class ApplicationRepository:
    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        retention_days: int,
        *,
        replica_wait: ReplicaWait | None = None,
    ) -> None:
        self._redis = redis
        self.replica_wait = replica_wait  # filing is confirmed once a replica has it
        self._keys = keys
        self.retention_days = retention_days
        self.delivery = DeliveryClaims(redis, keys)
        self._file = load_script(redis, PACKAGE, "file_application")
        self._set_status = load_script(redis, PACKAGE, "set_status")
        self._forget = load_script(redis, PACKAGE, "forget")

    @property
    def _ttl(self) -> int:
        return self.retention_days * DAY

    # -- résumés ------------------------------------------------------------------------

    async def save_resume(self, resume: Resume) -> None:
        await self._redis.set(
            self._keys.resume(resume.user_id), resume.model_dump_json(), ex=self._ttl
        )

    async def get_resume(self, user_id: int) -> Resume | None:
        raw = await self._redis.get(self._keys.resume(user_id))
        return Resume.model_validate_json(raw) if raw else None

    # -- filing -------------------------------------------------------------------------

    async def submit(self, draft: ApplicationDraft, *, patience: float = 15.0) -> Application:
        """File ``draft`` once per (applicant, vacancy) and save the résumé with it.

        Returns only once Redis has acknowledged the whole transaction; retries through
        a lost connection for up to ``patience`` seconds, then raises.
        """
        return await retrying(lambda: self._submit_once(draft), patience)

    async def _submit_once(self, draft: ApplicationDraft) -> Application:
        dedupe = self._keys.applicant_vacancies(draft.resume.user_id)
        dangling = ""
        while True:
            existing = cast(str | None, await self._redis.hget(dedupe, draft.vacancy_id))
            if existing and existing != dangling:
                found = await self.get(int(existing))
                if found is not None:
                    return found
                dangling = existing  # its application is gone: file over it
            # The directory of sources for statistics; idempotent, so before the filing.
            await self._redis.sadd(self._keys.application_sources, draft.source)
            number = int(await self._redis.incr(self._keys.applications_seq))
            application = _new_application(number, draft)
            keys, args = self._filing(application, draft, dangling)
            filed = await run_script(self.replica_wait, self._redis, self._file, keys, args)
            if int(filed) == number:
                return application
            # Filed concurrently: the next turn reads that application.

    def _filing(
        self, application: Application, draft: ApplicationDraft, dangling: str
    ) -> tuple[list[str], list[Any]]:
        keys, number = self._keys, application.number
        applicant = draft.resume.user_id
        record = _Record.model_validate(application.model_dump(include=set(_Record.model_fields)))
        personal = _Personal(resume=draft.resume, screening=draft.screening)
        listings = [
            keys.applications_all,
            keys.applications_by_vacancy(draft.vacancy_id),
            keys.applications_by_applicant(applicant),
            keys.applications_by_source(draft.source),
        ]
        if draft.recruiter_id is not None:
            listings.append(keys.applications_by_recruiter(draft.recruiter_id))
        return (
            [
                keys.applicant_vacancies(applicant),
                keys.application(number),
                keys.application_personal(number),
                keys.resume(applicant),
                *listings,
            ],
            [
                draft.vacancy_id,
                str(number),
                dangling,
                self._ttl,
                record.model_dump_json(),
                str(applicant),
                application.status.value,
                application.updated_at.isoformat(),
                personal.model_dump_json(),
                draft.resume.model_dump_json(),
                application.created_at.timestamp(),
            ],
        )

    # -- reading ------------------------------------------------------------------------

    async def get(self, number: int) -> Application | None:
        """One application, without an access check (callers check ``readable_by``)."""
        return (await self.get_many([number]))[0]

    async def get_many(self, numbers: Iterable[int]) -> list[Application | None]:
        wanted = list(numbers)
        if not wanted:
            return []
        async with self._redis.pipeline(transaction=False) as pipe:
            for number in wanted:
                pipe.hgetall(self._keys.application(number))
                pipe.get(self._keys.application_personal(number))
            rows = await pipe.execute()
        return [_load(rows[i], rows[i + 1]) for i in range(0, len(rows), 2)]

    async def applied_to(self, user_id: int, vacancy_id: str) -> Application | None:
        number = await self._redis.hget(self._keys.applicant_vacancies(user_id), vacancy_id)
        return await self.get(int(number)) if number else None

    async def for_vacancy(
        self, vacancy_id: str, offset: int = 0, limit: int = 50
    ) -> tuple[int, list[Application]]:
        return await self._page(self._keys.applications_by_vacancy(vacancy_id), offset, limit)

    async def for_applicant(self, user_id: int, limit: int = 20) -> list[Application]:
        return (await self._page(self._keys.applications_by_applicant(user_id), 0, limit))[1]

    async def for_recruiter(
        self, recruiter_id: int, offset: int = 0, limit: int = 50
    ) -> tuple[int, list[Application]]:
        return await self._page(self._keys.applications_by_recruiter(recruiter_id), offset, limit)

    async def count(self) -> int:
        return int(await self._redis.zcard(self._keys.applications_all))

    async def count_between(self, start: datetime, end: datetime) -> int:
        """Applications filed in [start, end) (for statistics; reads no personal data)."""
        index = self._keys.applications_all
        return int(await self._redis.zcount(index, start.timestamp(), f"({end.timestamp()}"))

    async def count_by_source(self, start: datetime, end: datetime) -> dict[str, int]:
        """Applications filed in [start, end) per source (the channel's name, or web)."""
        sources = sorted(
            cast(set[str], await self._redis.smembers(self._keys.application_sources))
        )
        async with self._redis.pipeline(transaction=False) as pipe:
            for source in sources:
                index = self._keys.applications_by_source(source)
                pipe.zcount(index, start.timestamp(), f"({end.timestamp()}")
            counts = await pipe.execute()
        return {source: int(n) for source, n in zip(sources, counts, strict=True) if n}

    async def count_for_vacancy(self, vacancy_id: str) -> int:
        return int(await self._redis.zcard(self._keys.applications_by_vacancy(vacancy_id)))

    async def recent(self, offset: int = 0, limit: int = 50) -> tuple[int, list[Application]]:
        """Every application, newest first (the admin dashboard's list)."""
        return await self._page(self._keys.applications_all, offset, limit)

    async def _page(self, index: str, offset: int, limit: int) -> tuple[int, list[Application]]:
        total = int(await self._redis.zcard(index))
        members: Any = await self._redis.zrevrange(index, offset, offset + limit - 1)
        found = await self.get_many(int(m) for m in members)
        return total, [a for a in found if a is not None]

    # -- changing -----------------------------------------------------------------------

    async def set_status(
        self, number: int, status: ApplicationStatus, actor: str
    ) -> tuple[Application | None, bool]:
        """Set the status; ``(application, changed)``. Setting the same status again is
        a no-op, so a replayed button press notifies nobody twice."""
        now = utcnow()
        change = StatusChange(status=status, actor=actor, at=now)
        result = await self._set_status(
            keys=[self._keys.application(number), self._keys.application_history(number)],
            args=[status.value, now.isoformat(), change.model_dump_json()],
        )
        if result == "missing":
            return None, False
        return await self.get(number), result == "ok"

    async def history(self, number: int) -> list[StatusChange]:
        rows = await self._redis.lrange(self._keys.application_history(number), 0, -1)
        return [StatusChange.model_validate_json(row) for row in rows]

    async def is_delivered(self, number: int) -> bool:
        return bool(await self._redis.hexists(self._keys.application(number), "delivered"))

    async def mark_delivered(self, number: int) -> None:
        """The card went out; a replayed submission does not send it again."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._keys.application(number), "delivered", utcnow().isoformat())
            pipe.zrem(self._keys.applications_undelivered, number)
            await pipe.execute()

    async def mark_undelivered(self, number: int) -> None:
        """A transient error kept the card from the recruiter: send it again later."""
        await self._redis.zadd(
            self._keys.applications_undelivered, {str(number): utcnow().timestamp()}
        )

    async def undelivered(self, limit: int = 20) -> list[int]:
        """The oldest attempts first."""
        numbers: Any = await self._redis.zrange(self._keys.applications_undelivered, 0, limit - 1)
        return [int(n) for n in numbers]

    async def drop_undelivered(self, number: int) -> None:
        await self._redis.zrem(self._keys.applications_undelivered, number)

    async def add_card(self, number: int, chat_id: int, message_id: int, kind: str) -> None:
        """Remember a message that shows the application (``kind`` "text" or "file"), so
        ``forget`` can scrub it."""
        await self._redis.hset(
            self._keys.application(number), f"card:{chat_id}:{message_id}", kind
        )

    async def cards(self, number: int) -> list[tuple[int, int, str]]:
        fields: Any = await self._redis.hgetall(self._keys.application(number))
        out: list[tuple[int, int, str]] = []
        for name, kind in fields.items():
            if name.startswith("card:"):
                _, chat, message = name.split(":")
                out.append((int(chat), int(message), kind))
        return out

    # -- privacy ------------------------------------------------------------------------

    async def forget(self, user_id: int) -> list[int]:
        """Delete the résumé and the personal part of every application of ``user_id``,
        in one transaction; returns the application numbers that were scrubbed."""
        keys = self._keys
        members = await self._forget(
            keys=[
                keys.resume(user_id),
                keys.applications_by_applicant(user_id),
                keys.applicant_vacancies(user_id),
            ],
            args=[keys.application("@"), keys.application_personal("@")],
        )
        return [int(n) for n in members]

    async def log_access(self, numbers: Iterable[int], actor: str, action: AccessAction) -> None:
        at = utcnow().isoformat()
        async with self._redis.pipeline(transaction=True) as pipe:
            for number in numbers:
                pipe.xadd(
                    self._keys.applications_access,
                    {"number": str(number), "actor": actor, "action": action.value, "at": at},
                )
            await pipe.execute()

    async def access_log(self, number: int | None = None, limit: int = 100) -> list[AccessRecord]:
        """The newest access records, of one application or of all."""
        out: list[AccessRecord] = []
        last = "+"
        while len(out) < limit:
            rows: Any = await self._redis.xrevrange(
                self._keys.applications_access, max=last, min="-", count=500
            )
            for entry_id, fields in rows:
                if entry_id == last:
                    continue
                if number is None or fields.get("number") == str(number):
                    out.append(AccessRecord.model_validate(fields))
            if len(rows) < 500:
                break
            last = rows[-1][0]
        return out[:limit]


def _new_application(number: int, draft: ApplicationDraft) -> Application:
    now = utcnow()
    return Application(
        number=number,
        vacancy_id=draft.vacancy_id,
        vacancy_title=draft.vacancy_title,
        employer=draft.employer,
        recruiter_id=draft.recruiter_id,
        applicant_id=draft.resume.user_id,
        status=ApplicationStatus.submitted if draft.qualified else ApplicationStatus.screened_out,
        qualified=draft.qualified,
        consent=draft.consent,
        created_at=now,
        updated_at=now,
        source=draft.source,
        broker=draft.broker,
        resume=draft.resume,
        screening=draft.screening,
    )


def _load(fields: dict[str, str], personal_raw: str | None) -> Application | None:
    if not fields or "record" not in fields:
        return None
    record = _Record.model_validate_json(fields["record"])
    personal = _Personal.model_validate_json(personal_raw) if personal_raw else None
    applicant = fields.get("applicant") or None
    return Application(
        **record.model_dump(),
        applicant_id=int(applicant) if applicant else None,
        status=ApplicationStatus(fields["status"]),
        updated_at=datetime.fromisoformat(fields["updated_at"]),
        resume=personal.resume if personal else None,
        screening=personal.screening if personal else [],
    )


async def retrying(call: Callable[[], Awaitable[T]], patience: float) -> T:
    """Run an idempotent Redis operation, retrying through connection loss."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience
    delay = 0.05
    while True:
        try:
            return await call()
        except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
            if loop.time() + delay > deadline:
                raise
            log.warning("Redis unavailable (%s); retrying in %.2f s", type(exc).__name__, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 1.0)
