"""Who may sign in: the admin token (account left empty), or an admin's own password.

Every attempt first asks the lockout; a refused attempt says only "wrong", never which
half was wrong.
"""

from __future__ import annotations

import asyncio
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
        # Unknown shapes share one counter, so junk cannot create keys without bound.
        counted = account if _ACCOUNT.match(account) else (account and "invalid") or TOKEN_ACCOUNT
        wait = await self._lockout.locked_for(ip, counted)
        if wait:
            log.warning("Dashboard sign-in refused for %s from %s: locked out", counted, ip)
            return SignIn(None, wait)
        if await self._check(account, password[:PASSWORD_MAX]):
            await self._lockout.succeeded(counted)
            log.info("Dashboard sign-in: %s from %s", counted, ip)
            return SignIn(counted)
        await self._lockout.failed(ip, counted)
        log.warning("Dashboard sign-in failed for %s from %s", counted, ip)
        return SignIn(None)

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
