"""The audit log: who let a held vacancy through, when and why (newest first, capped)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from jobfeed.compliance.findings import Finding
from jobfeed.keys import Keys

KEEP = 10_000  # entries kept


class AuditEntry(BaseModel):
    at: datetime
    actor: str
    action: str  # "compliance.release"
    vacancy_id: str
    reason: str
    findings: list[Finding] = Field(default_factory=list)  # what the admin saw


class AuditLog:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys

    def queue(self, pipe: Pipeline, entry: AuditEntry) -> None:
        """Add the entry to a caller's transaction (written with what it records)."""
        pipe.lpush(self._keys.audit_log, entry.model_dump_json())
        pipe.ltrim(self._keys.audit_log, 0, KEEP - 1)

    async def recent(self, offset: int = 0, limit: int = 50) -> tuple[int, list[AuditEntry]]:
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.llen(self._keys.audit_log)
            pipe.lrange(self._keys.audit_log, offset, offset + limit - 1)
            total, rows = await pipe.execute()
        return int(total), [AuditEntry.model_validate_json(row) for row in rows]
