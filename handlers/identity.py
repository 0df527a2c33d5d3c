"""How the domain names Telegram and its people: the channel ``"telegram"``, actors
``"telegram:<user id>"`` (in decisions, status changes and the access log)."""

from __future__ import annotations

CHANNEL = "telegram"


def actor(user_id: int) -> str:
    return f"{CHANNEL}:{user_id}"
