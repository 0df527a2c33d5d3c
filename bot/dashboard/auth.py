"""Who may sign in: the admin token (account left empty), or an admin's own password.

Every attempt is first counted by the lockout; a refused attempt says only "wrong", never
which half was wrong. A session keeps the fingerprint of the credential that opened it
(``credential_of``), so a rotated token or password, or an id dropped from ADMIN_IDS,
ends the sessions it opened at their next request.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import re
from dataclasses import dataclass

from pydantic import SecretStr

from bot.dashboard.lockout import Lockout
from bot.dashboard.passwords import verify_password

log = logging.getLogger(__name__)

TOKEN_ACCOUNT = "token"
_ACCOUNT = re.compile(r"^\d{1,20}$")
PASSWORD_MAX = 1024


@dataclass(frozen=True, slots=True)
class SignIn:
    account: str | None  # who signed in; None when refused
    locked_for: int = 0  # seconds, when refused because of the lockout
    credential: str = ""  # the fingerprint of the credential used (see credential_of)


class Authenticator:
    def __init__(
        self,
        lockout: Lockout,
        admin_token: SecretStr | None,
        admin_ids: frozenset[int],
        passwords: dict[int, SecretStr],
    ) -> None:
        self._lockout = lockout
        self._token = admin_token
        self._admin_ids = admin_ids
        self._passwords = passwords

    async def sign_in(self, ip: str, account: str, password: str) -> SignIn:
        account = account.strip()
        named = _ACCOUNT.fullmatch(account) is not None
        counted = account if named else (account and "invalid") or TOKEN_ACCOUNT
        # Only a named account has a counter of its own; the token (no account) and junk
        # are counted per address alone: one shared counter would let anyone lock it.
        wait = await self._lockout.attempt(ip, counted if named else None)
        if wait:
            log.warning("Dashboard sign-in refused for %s from %s: locked out", counted, ip)
            return SignIn(None, wait)
        if await self._check(account, password[:PASSWORD_MAX]):
            credential = self.credential_of(counted)
            if credential is not None:
                await self._lockout.succeeded(ip, counted if named else None)
                log.info("Dashboard sign-in: %s from %s", counted, ip)
                return SignIn(counted, credential=credential)
        log.warning("Dashboard sign-in failed for %s from %s", counted, ip)
        return SignIn(None)

    def credential_of(self, account: str) -> str | None:
        """A short fingerprint of the credential that signs ``account`` in now; None when
        the account cannot sign in any more. Never the credential itself: Redis keeps it."""
        if account == TOKEN_ACCOUNT:
            if self._token is None:
                return None
            secret = self._token.get_secret_value().encode()
            return hmac.new(secret, b"zp-dashboard-session", hashlib.sha256).hexdigest()[:32]
        if not _ACCOUNT.match(account) or int(account) not in self._admin_ids:
            return None
        encoded = self._passwords.get(int(account))
        if encoded is None:
            return None
        return hashlib.sha256(encoded.get_secret_value().encode()).hexdigest()[:32]

    async def _check(self, account: str, password: str) -> bool:
        if not password:
            return False
        if not account:
            if self._token is None:
                return False
            expected = self._token.get_secret_value().encode()
            return hmac.compare_digest(password.encode(), expected)
        if not _ACCOUNT.match(account) or int(account) not in self._admin_ids:
            return False
        encoded = self._passwords.get(int(account))
        if encoded is None:
            return False
        # scrypt takes tens of milliseconds by design: keep it off the event loop.
        return await asyncio.to_thread(verify_password, password, encoded.get_secret_value())
