"""The corp's credentials for customer groups: ``WECOM_CORP_ID``/``WECOM_SECRET`` from the
environment, or registered at runtime (API, dashboard, chat) in Redis, which wins.

The secret is never shown: ``masked()`` is what surfaces list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

from redis.asyncio import Redis

from bot.wecom.robots import mask
from jobfeed.keys import Keys

CUSTOMER = "wecom-customer"
CORP_ID = re.compile(r"^[A-Za-z0-9]{1,64}$")
SECRET = re.compile(r"^[A-Za-z0-9_-]{8,128}$")


@dataclass(frozen=True, slots=True)
class Credentials:
    corp_id: str
    secret: str

    def masked(self) -> dict[str, str]:
        return {"corp_id": self.corp_id, "secret": mask(self.secret)}


class CredentialStore:
    def __init__(self, redis: Redis, keys: Keys, *, default: Credentials | None = None) -> None:
        """``default``: the environment's, used until credentials are registered."""
        self._redis = redis
        self._key = keys.channel_settings(CUSTOMER)
        self._default = default

    async def get(self) -> Credentials | None:
        data = cast(dict[str, str], await self._redis.hgetall(self._key))
        if data.get("corp_id") and data.get("secret"):
            return Credentials(data["corp_id"], data["secret"])
        return self._default

    async def set(self, corp_id: str, secret: str) -> Credentials:
        """ValueError (never quoting the secret) for a malformed id or secret."""
        if not CORP_ID.fullmatch(corp_id):
            raise ValueError("a corp id (企业ID) is 1–64 letters and digits, e.g. ww1234abcd")
        if not SECRET.fullmatch(secret):
            raise ValueError("a secret is 8–128 of A-Z a-z 0-9 _ -")
        await self._redis.hset(self._key, mapping={"corp_id": corp_id, "secret": secret})
        return Credentials(corp_id, secret)
