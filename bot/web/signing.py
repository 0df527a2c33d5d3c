"""What the web apply form signs with its secret (``WEB_APPLY_SECRET``): form tokens, the
links to an application's status, and the applicant id of a phone number.

A form token is ``<issued>.<nonce>.<signature>``: HMAC-SHA256 over the vacancy id, the
issue time and a random nonce. It needs no cookie: the page carries it in a hidden field.
It is good for ``lifetime`` after it was issued, for that vacancy only, and once: the
first submission marks its nonce used in Redis (``SET NX`` with the token's remaining
life), so a replayed form is refused even across web processes.

A web applicant has no chat id: their applicant id is derived from the phone number with
the same secret (negative, so it never meets a Telegram user id, which is positive), so
one phone applies once per vacancy like one chat user does, and no key name holds a phone.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum

from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.models import utcnow

_TOKEN = re.compile(r"^(\d{1,12})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22,64})$")
SKEW = timedelta(minutes=2)  # a token issued by a process whose clock runs a little ahead


class TokenCheck(StrEnum):
    ok = "ok"
    bad = "bad"  # malformed, forged, or for another vacancy
    expired = "expired"
    used = "used"  # submitted before: a replay


def _b64(digest: bytes) -> str:
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


class Signer:
    def __init__(
        self,
        secret: bytes,
        redis: Redis,
        keys: Keys,
        lifetime: timedelta,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._secret = secret
        self._redis = redis
        self._keys = keys
        self.lifetime = lifetime
        self._clock = clock

    def _sign(self, *parts: str) -> str:
        message = "\x1f".join(parts).encode()
        return _b64(hmac.new(self._secret, message, hashlib.sha256).digest())

    # -- form tokens -------------------------------------------------------------------------

    def issue(self, vacancy_id: str) -> str:
        issued = str(int(self._clock().timestamp()))
        nonce = secrets.token_urlsafe(12)
        return f"{issued}.{nonce}.{self._sign('form', vacancy_id, issued, nonce)}"

    async def redeem(self, token: str, vacancy_id: str) -> TokenCheck:
        """Check the token and use it up; only the first submission gets ``ok``."""
        match = _TOKEN.fullmatch(token.strip())
        if match is None:
            return TokenCheck.bad
        issued, nonce, signature = match.groups()
        expected = self._sign("form", vacancy_id, issued, nonce)
        if not hmac.compare_digest(expected, signature):
            return TokenCheck.bad
        age = self._clock().timestamp() - int(issued)
        if age < -SKEW.total_seconds() or age > self.lifetime.total_seconds():
            return TokenCheck.expired
        remaining = int(self.lifetime.total_seconds() - age + SKEW.total_seconds()) + 1
        first = await self._redis.set(self._keys.web_form_used(nonce), "1", nx=True, ex=remaining)
        return TokenCheck.ok if first else TokenCheck.used

    # -- status links and applicant ids ------------------------------------------------------

    def status_key(self, vacancy_id: str, number: int) -> str:
        """The key in the link to an application's status page (whoever has the link may
        read the status, nothing personal)."""
        return self._sign("status", vacancy_id, str(number))[:32]

    def status_key_valid(self, vacancy_id: str, number: int, key: str) -> bool:
        return hmac.compare_digest(self.status_key(vacancy_id, number), key)

    def applicant_id(self, phone: str) -> int:
        digest = hmac.new(self._secret, f"applicant\x1f{phone}".encode(), hashlib.sha256)
        return -(int.from_bytes(digest.digest()[:6], "big") + 1)


def derive_secret(bot_token: str) -> bytes:
    """The signing secret when ``WEB_APPLY_SECRET`` is unset: from the bot token, so it is
    stable across restarts and processes (a new bot token makes open forms expire)."""
    return hmac.new(bot_token.encode(), b"zhaopin web apply", hashlib.sha256).digest()
