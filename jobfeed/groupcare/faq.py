"""Questions and answers the admins keep, and matching a message to one of them with the
search's understanding of text: traditional characters, full-width forms and pinyin
(``jobfeed.search.normalise``), sound-alike typos (``jobfeed.search.pinyin`` codes) and
look-alike typos (包吃往 for 包吃住: one character of a keyword written as one the search's
``confusions.tsv`` lists for it).

An entry is global or belongs to one group. A message is answered only when it is a
question and one entry fits it clearly: its keywords heard in the message and its
example questions close, or an example question almost the same. Otherwise the bot
stays quiet (in groups) or offers a person (in private chat).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, Field
from rapidfuzz import fuzz
from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.search.confusions import Confusions
from jobfeed.search.normalise import normalise, simplified
from jobfeed.search.pinyin import codes, letters

KEEP_UNANSWERED = 500
CACHE_SECONDS = 5.0  # how long a process keeps the entries before reading them again
CLOSE = 62.0  # an example this close, with a keyword heard: an answer
SAME = 86.0  # an example this close, keywords or not: an answer
AMBIGUOUS = 6.0  # two entries this close to each other: no answer
_ASKS = re.compile(
    r"吗|么|嘛|呢|怎么|怎样|如何|多少|哪|什么|啥|几|是否|能不能|可不可以|可以不|有没有|要不要"
    r"|会不会|用不用|需不需要|咋|[?？]"
)
_PINYIN_ASKS = re.compile(r"(?:ma|ne|zenme|duoshao|shenme|nali|ruhe|jihao)$|zenme|duoshao")


class FaqEntry(BaseModel):
    id: int = 0
    questions: list[str] = Field(min_length=1, max_length=30)
    keywords: list[str] = Field(default_factory=list, max_length=30)
    answer: str = Field(min_length=1, max_length=2000)
    group: int | None = None  # None: every group and private chat


@dataclass(frozen=True, slots=True)
class Match:
    entry: FaqEntry
    score: float


@dataclass(frozen=True, slots=True)
class _Forms:
    plain: str
    codes: str
    letters: str


def _forms(text: str) -> _Forms:
    plain = normalise(text)
    return _Forms(plain.replace(" ", ""), codes(plain).replace(" ", ""), letters(plain))


def is_question(text: str) -> bool:
    """A question mark or a question word (in characters or typed pinyin)."""
    if _ASKS.search(simplified(text)):
        return True
    plain = normalise(text).replace(" ", "")
    return plain.isascii() and bool(_PINYIN_ASKS.search(plain))


class FaqMatcher:
    def __init__(self, entries: list[FaqEntry], confusions: Confusions | None = None) -> None:
        self._confusions = confusions
        self._entries = [
            (
                entry,
                [_forms(k) for k in entry.keywords if normalise(k)],
                [_forms(q) for q in entry.questions if normalise(q)],
            )
            for entry in entries
        ]

    def match(self, text: str, group: int | None = None) -> Match | None:
        """The one entry that answers ``text`` (asked in ``group``, None: private chat)."""
        if not is_question(text):
            return None
        asked = _forms(text)
        if len(asked.codes) < 2:
            return None
        scored: list[Match] = []
        for entry, keywords, questions in self._entries:
            if entry.group is not None and entry.group != group:
                continue
            heard = any(self._heard(k, asked) for k in keywords)
            close = max((_closeness(asked, q) for q in questions), default=0.0)
            if close >= SAME or (heard and close >= CLOSE):
                scored.append(Match(entry, close + (10.0 if heard else 0.0)))
        if not scored:
            return None
        scored.sort(key=lambda m: m.score, reverse=True)
        if len(scored) > 1 and scored[0].score - scored[1].score < AMBIGUOUS:
            return None  # two answers fit: unsure
        return scored[0]

    def _heard(self, keyword: _Forms, asked: _Forms) -> bool:
        if keyword.codes in asked.codes:
            return True  # as written, or sounding the same
        if len(keyword.letters) >= 4 and keyword.letters in asked.letters:
            return True  # typed in pinyin
        return self._looks_like(keyword.plain, asked.plain)

    def _looks_like(self, keyword: str, text: str) -> bool:
        """One character of ``keyword`` written as a look-alike somewhere in ``text``."""
        if self._confusions is None or len(keyword) < 2:
            return False
        size = len(keyword)
        for start in range(len(text) - size + 1):
            window = text[start : start + size]
            swaps = [(w, k) for w, k in zip(window, keyword, strict=True) if w != k]
            if len(swaps) == 1 and self._confusions.kind(*swaps[0]) is not None:
                return window not in self._confusions.words
        return False


def _closeness(asked: _Forms, example: _Forms) -> float:
    whole = fuzz.ratio(asked.codes, example.codes)
    # The example inside a longer message (请问一下包吃住吗) counts, a little less.
    inside = 0.9 * fuzz.partial_ratio(example.codes, asked.codes) if len(example.codes) >= 3 else 0
    spelled = fuzz.ratio(asked.letters, example.letters)
    return float(max(whole, inside, spelled))


class FaqStore:
    """The entries in Redis, read again by each process at most every few seconds; the
    outcome counts (answered, escalated, unanswered) and the unanswered questions."""

    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        *,
        confusions: Confusions | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._redis = redis
        self._keys = keys
        self._confusions = confusions
        self._monotonic = monotonic
        self._cached: tuple[float, FaqMatcher] | None = None

    async def add(self, entry: FaqEntry) -> FaqEntry:
        number = int(await self._redis.incr(self._keys.faq_seq))
        saved = entry.model_copy(update={"id": number})
        await self._redis.hset(self._keys.faq_entries, str(number), saved.model_dump_json())
        self._cached = None
        return saved

    async def remove(self, number: int) -> bool:
        self._cached = None
        return bool(await self._redis.hdel(self._keys.faq_entries, str(number)))

    async def entries(self, group: int | None = None, *, every: bool = True) -> list[FaqEntry]:
        """All entries (``every``), or those a question in ``group`` can get."""
        raw = await self._redis.hvals(self._keys.faq_entries)
        found = sorted((FaqEntry.model_validate_json(r) for r in raw), key=lambda e: e.id)
        if every:
            return found
        return [e for e in found if e.group is None or e.group == group]

    async def matcher(self) -> FaqMatcher:
        now = self._monotonic()
        if self._cached is None or now - self._cached[0] > CACHE_SECONDS:
            self._cached = (now, FaqMatcher(await self.entries(), self._confusions))
        return self._cached[1]

    async def count(self, outcome: str) -> None:
        """``answered``, ``escalated`` or ``unanswered``."""
        await self._redis.hincrby(self._keys.faq_stats, outcome, 1)

    async def unanswered(self, question: str, group: int | None) -> None:
        row = json.dumps({"question": question[:500], "group": group}, ensure_ascii=False)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hincrby(self._keys.faq_stats, "unanswered", 1)
            pipe.lpush(self._keys.faq_unanswered, row)
            pipe.ltrim(self._keys.faq_unanswered, 0, KEEP_UNANSWERED - 1)
            await pipe.execute()

    async def stats(self, recent: int = 20) -> dict[str, object]:
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.hgetall(self._keys.faq_stats)
            pipe.lrange(self._keys.faq_unanswered, 0, recent - 1)
            counts, rows = await pipe.execute()
        return {
            "answered": int(counts.get("answered", 0)),
            "escalated": int(counts.get("escalated", 0)),
            "unanswered": int(counts.get("unanswered", 0)),
            "recent_unanswered": [json.loads(row) for row in rows],
        }
