"""Who sends an application's card: a lease in Redis, so each card goes out once.

Filings finishing together each send the cards kept back earlier; without a claim every
one of them would send every card. A claim is ``SET NX PX`` with an owner token: one
sender at a time, and a sender that died loses it when the lease runs out, so another
delivers. Marking the card delivered and giving the claim back is one script.
"""

from __future__ import annotations

import secrets

from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.lua import load_script
from jobfeed.models import utcnow

PACKAGE = "jobfeed.applications"

LEASE_SECONDS = 120.0  # well above a card's sends with their retries and flood waits


class DeliveryClaims:
    def __init__(self, redis: Redis, keys: Keys, lease_seconds: float = LEASE_SECONDS) -> None:
        self._redis = redis
        self._keys = keys
        self._lease_ms = max(1, int(lease_seconds * 1000))
        self._delivered = load_script(redis, PACKAGE, "claim_delivered")
        self._release = load_script(redis, PACKAGE, "claim_release")

    async def claim(self, number: int) -> str | None:
        """The owner token, or None while another sender holds the card."""
        owner = secrets.token_hex(8)
        key = self._keys.application_delivery_claim(number)
        taken = await self._redis.set(key, owner, nx=True, px=self._lease_ms)
        return owner if taken else None

    async def release(self, number: int, owner: str) -> None:
        """Give the claim back (only if still ours) without marking anything."""
        await self._release(keys=[self._keys.application_delivery_claim(number)], args=[owner])

    async def delivered(self, number: int, owner: str) -> None:
        """The card went out: mark it delivered, unqueue it, give the claim back."""
        keys = self._keys
        await self._delivered(
            keys=[
                keys.application_delivery_claim(number),
                keys.application(number),
                keys.applications_undelivered,
            ],
            args=[owner, number, utcnow().isoformat()],
        )
