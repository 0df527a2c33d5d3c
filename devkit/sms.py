"""A stand-in for an SMS verification vendor (``jobfeed.applications.verification``):
codes are kept in memory and can be read back, as a phone would show them."""

from __future__ import annotations

import secrets


class SmsDouble:
    def __init__(self, *, refuse: bool = False) -> None:
        self.sent: dict[str, list[str]] = {}
        self.refuse = refuse  # the vendor refuses every send (down, or too soon)

    async def send(self, phone: str) -> bool:
        if self.refuse:
            return False
        self.sent.setdefault(phone, []).append(f"{secrets.randbelow(10**6):06d}")
        return True

    async def verify(self, phone: str, code: str) -> bool:
        codes = self.sent.get(phone) or []
        return bool(codes) and secrets.compare_digest(codes[-1], code.strip())

    def last_code(self, phone: str) -> str:
        return self.sent[phone][-1]
