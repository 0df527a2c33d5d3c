"""Proving a phone number is the applicant's own: the ``SmsCodes`` port.

The web apply form (``bot.web.apply``) can ask for a one-time code sent by SMS before it
files an application. No provider ships with the product: a deployment that wants the
check implements these two calls over its SMS vendor's verification API (which sends the
code, keeps it and checks it) and hands it to ``bot.app.create_app``. Without one the
form files applications with the number as typed, like the chat does for a typed number.
Development and the tests use ``devkit.sms.SmsDouble``.
"""

from __future__ import annotations

from typing import Protocol


class SmsCodes(Protocol):
    async def send(self, phone: str) -> bool:
        """Send a fresh code to ``phone`` (11 national digits); False when it could not
        be sent now (the vendor refused it, too soon after the last one, unreachable)."""
        ...

    async def verify(self, phone: str, code: str) -> bool:
        """Whether ``code`` is the valid, unexpired code last sent to ``phone``."""
        ...
