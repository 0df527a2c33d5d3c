"""Searches saved under a short token, for the 更多 link and the paging buttons.

A link or a button carries little (a channel may allow a few dozen ASCII characters),
too little for a query in Chinese plus its filters; both carry the token instead: 16
characters of ``A-Za-z0-9_-``. The token is a digest of the search, so saving the same
search again (a retried update, a second press) writes the same key and only renews its
lifetime.
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from redis.asyncio import Redis

from jobfeed.keys import Keys

TOKEN_LENGTH = 16  # 96 bits of a SHA-256
TOKEN = re.compile(rf"^[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}$")
TTL = timedelta(days=3)
MAX_TEXT = 200
MAX_CITY = 20


class SavedSearch(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_TEXT)
    city: str | None = Field(default=None, min_length=1, max_length=MAX_CITY)
    min_pay: int | None = Field(default=None, ge=0, le=1_000_000)  # monthly CNY

    @property
    def token(self) -> str:
        digest = hashlib.sha256(self.model_dump_json().encode()).digest()
        return base64.urlsafe_b64encode(digest).decode()[:TOKEN_LENGTH]


class SavedSearches:
    def __init__(self, redis: Redis, keys: Keys, ttl: timedelta = TTL) -> None:
        self._redis = redis
        self._keys = keys
        self._ttl = ttl

    async def save(self, search: SavedSearch) -> str:
        """Keep ``search`` for the lifetime; returns its token."""
        token = search.token
        await self._redis.set(
            self._keys.search_saved(token), search.model_dump_json(), ex=self._ttl
        )
        return token

    async def get(self, token: str) -> SavedSearch | None:
        """The search saved under ``token``; None when the token is malformed or expired."""
        if not TOKEN.fullmatch(token):
            return None
        raw = await self._redis.get(self._keys.search_saved(token))
        if raw is None:
            return None
        try:
            return SavedSearch.model_validate_json(raw)
        except ValidationError:
            return None

    async def remember(self, user_id: int, search: SavedSearch) -> str:
        """Save ``search`` as the one ``user_id`` last asked (``/subscribe`` takes it up)."""
        token = await self.save(search)
        await self._redis.set(self._keys.search_last(user_id), token, ex=self._ttl)
        return token

    async def last(self, user_id: int) -> tuple[str, SavedSearch] | None:
        """The token and search ``user_id`` last asked, if still kept."""
        token = await self._redis.get(self._keys.search_last(user_id))
        found = await self.get(str(token)) if token else None
        return (str(token), found) if found is not None else None
