"""Dashboard sessions in Redis, behind an opaque random cookie.

The cookie holds 32 random bytes; Redis holds the session under the SHA-256 of it, so a
copy of Redis does not hand out live cookies. Every visitor gets a session (an anonymous
one carries the CSRF token of the sign-in form); signing in replaces it with a new one,
so a cookie planted before sign-in is worth nothing after it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.models import utcnow

COOKIE = "zp_dashboard"
ANONYMOUS_TTL = 3600


@dataclass(frozen=True, slots=True)
class Session:
    token: str  # the cookie value; never stored
    csrf: str
    account: str | None  # "token" or an admin's user id; None before sign-in
    created_at: datetime
    credential: str = ""  # fingerprint of the credential that signed in (Authenticator)

    @property
    def signed_in(self) -> bool:
        return self.account is not None

    @property
    def actor(self) -> str:
        """Who acted, as decisions record it."""
        return f"web:{self.account}"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SessionStore:
    def __init__(self, redis: Redis, keys: Keys, signed_in_ttl: int) -> None:
        self._redis = redis
        self._keys = keys
        self._ttl = signed_in_ttl

    async def create(self, account: str | None = None, credential: str = "") -> Session:
        session = Session(
            token=secrets.token_urlsafe(32),
            csrf=secrets.token_urlsafe(32),
            account=account,
            created_at=utcnow(),
            credential=credential,
        )
        key = self._keys.dashboard_session(digest(session.token))
        ttl = self._ttl if account is not None else ANONYMOUS_TTL
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(
                key,
                mapping={
                    "csrf": session.csrf,
                    "account": account or "",
                    "created_at": session.created_at.isoformat(),
                    "credential": credential,
                },
            )
            pipe.expire(key, ttl)
            await pipe.execute()
        return session

    async def get(self, token: str | None) -> Session | None:
        if not token or len(token) > 100:
            return None
        data: dict[str, str] = await self._redis.hgetall(  # type: ignore[assignment]
            self._keys.dashboard_session(digest(token))
        )
        if not data:
            return None
        return Session(
            token=token,
            csrf=data["csrf"],
            account=data.get("account") or None,
            created_at=datetime.fromisoformat(data["created_at"]),
            credential=data.get("credential", ""),
        )

    async def delete(self, token: str) -> None:
        await self._redis.delete(self._keys.dashboard_session(digest(token)))

    @property
    def ttl(self) -> int:
        return self._ttl
