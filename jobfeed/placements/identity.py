"""ID numbers (身份证号), only when an office turns them on (``ID_NUMBER_KEY`` and
``ID_NUMBER_PURPOSE``): asked after a separate consent naming why, never in a group,
stored encrypted (Fernet: AES-128-CBC with an HMAC), shown masked in every view
(``1101**********002X``), deleted by ``/forget``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from redis.asyncio import Redis

from jobfeed.keys import Keys

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"  # GB 11643: the check character by the weighted sum mod 11


def valid_id_number(text: str) -> str | None:
    """The 18-character resident ID number with a right check character, or None."""
    value = text.strip().upper().replace(" ", "")
    if len(value) != 18 or not value[:17].isdigit() or not value[:17].isascii():
        return None
    total = sum(int(d) * w for d, w in zip(value[:17], WEIGHTS, strict=True))
    return value if CHECK[total % 11] == value[17] else None


def mask_id_number(value: str) -> str:
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


class IdNumbers:
    def __init__(self, redis: Redis, keys: Keys, key: bytes, purpose: str) -> None:
        self._redis = redis
        self._keys = keys
        self._fernet = Fernet(key)
        self.purpose = purpose

    async def store(self, placement: int, value: str, consented_at: datetime) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(
                self._keys.placement_id_number(placement), self._fernet.encrypt(value.encode())
            )
            pipe.hset(self._keys.placement(placement), "id_consent", consented_at.isoformat())
            await pipe.execute()

    async def masked(self, placements: list[int]) -> dict[int, str]:
        """The masked ID numbers of those placements that have one."""
        if not placements:
            return {}
        rows: Any = await self._redis.mget([self._keys.placement_id_number(n) for n in placements])
        out: dict[int, str] = {}
        for number, raw in zip(placements, rows, strict=True):
            if raw:
                try:
                    out[number] = mask_id_number(self._fernet.decrypt(raw.encode()).decode())
                except InvalidToken:  # written under another key: shown as unreadable
                    out[number] = "（无法解密）"
        return out
