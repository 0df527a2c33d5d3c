"""What job seekers search for: searches per day, queries that found nothing, top queries.

One sorted set of query texts and one hash of counters per day, each expiring after the
retention period, so nothing needs sweeping and a summary reads a few keys per day.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo

from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.models import utcnow
from jobfeed.search.normalise import normalise

CHINA_TIME = timezone(timedelta(hours=8), "CST")
RETENTION = timedelta(days=60)
MAX_QUERY_CHARS = 60
# A day keeps this many distinct queries, the most frequent, so a flood of unique
# messages cannot grow a key without bound.
MAX_QUERIES_PER_DAY = 5000
_SCRATCH_TTL = 60


@dataclass(frozen=True, slots=True)
class DayStats:
    day: date
    searches: int
    zero_results: int


@dataclass(frozen=True, slots=True)
class QueryCount:
    text: str
    count: int


@dataclass(frozen=True, slots=True)
class SearchSummary:
    days: list[DayStats]  # oldest first, one per day of the period
    top_queries: list[QueryCount]
    top_zero_result: list[QueryCount]  # what people look for and do not find

    @property
    def searches(self) -> int:
        return sum(d.searches for d in self.days)

    @property
    def zero_results(self) -> int:
        return sum(d.zero_results for d in self.days)


class SearchAnalytics:
    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        *,
        tz: tzinfo = CHINA_TIME,
        retention: timedelta = RETENTION,
    ) -> None:
        self._redis = redis
        self._keys = keys
        self._tz = tz
        self._ttl = int(retention.total_seconds())

    async def record(self, text: str, hits: int, now: datetime | None = None) -> None:
        """Count one search for ``text`` that found ``hits`` vacancies."""
        day = self._day(now or utcnow())
        query = query_text(text)
        counts = self._keys.search_counts(day)
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.hincrby(counts, "searches", 1)
            if hits == 0:
                pipe.hincrby(counts, "zero", 1)
            pipe.expire(counts, self._ttl)
            if query:
                for key, counted in (
                    (self._keys.search_queries(day), True),
                    (self._keys.search_zero(day), hits == 0),
                ):
                    if counted:
                        pipe.zincrby(key, 1, query)
                        pipe.zremrangebyrank(key, 0, -MAX_QUERIES_PER_DAY - 1)
                        pipe.expire(key, self._ttl)
            await pipe.execute()

    async def summary(
        self, days: int = 7, top: int = 20, now: datetime | None = None
    ) -> SearchSummary:
        """The last ``days`` days up to today (China time), with the ``top`` queries of them."""
        today = (now or utcnow()).astimezone(self._tz).date()
        period = [today - timedelta(days=n) for n in range(days - 1, -1, -1)]
        names = [d.isoformat() for d in period]
        async with self._redis.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.hgetall(self._keys.search_counts(name))
            rows = await pipe.execute()
        stats = [
            DayStats(day, int(row.get("searches", 0)), int(row.get("zero", 0)))
            for day, row in zip(period, rows, strict=True)
        ]
        top_queries = await self._top([self._keys.search_queries(n) for n in names], top)
        top_zero = await self._top([self._keys.search_zero(n) for n in names], top)
        return SearchSummary(stats, top_queries, top_zero)

    async def _top(self, keys: list[str], top: int) -> list[QueryCount]:
        scratch = self._keys.search_scratch(uuid.uuid4().hex)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zunionstore(scratch, keys)
            pipe.zrevrange(scratch, 0, top - 1, withscores=True)
            pipe.delete(scratch)
            _, ranked, _ = await pipe.execute()
        return [QueryCount(text, int(score)) for text, score in ranked]

    def _day(self, when: datetime) -> str:
        return when.astimezone(self._tz).date().isoformat()


# Seven digits or more once separators are dropped (a phone, an ID number); an e-mail.
_DIGITS = re.compile(r"\d{7,}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-.()（）]")


def query_text(text: str) -> str:
    """A query as analytics counts it: normalised, without a leading /command, bounded.

    Empty (counted, never listed) when it looks like personal data: a phone or ID number
    typed into the search by mistake must not be kept for admins to read.
    """
    text = text.strip()
    if text.startswith("/"):
        text = text.partition(" ")[2]
    wide = unicodedata.normalize("NFKC", text)
    if _DIGITS.search(_SEPARATORS.sub("", wide)) or _EMAIL.search(wide):
        return ""
    return normalise(text)[:MAX_QUERY_CHARS]
