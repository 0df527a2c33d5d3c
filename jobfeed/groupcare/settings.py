"""Each group's own choices: its welcome (on/off, text) and its moderation policy."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from redis.asyncio import Redis

from jobfeed.keys import Keys

MAX_WELCOME_TEXT = 1000


class Policy(StrEnum):
    """What happens to a member whose scam or spam message was removed."""

    off = "off"  # nothing is removed in this group
    warn = "warn"  # removed, the member warned every time
    mute = "mute"  # removed; warned the first time, then muted for a while
    ban = "ban"  # removed; warned the first time, then banned


@dataclass(frozen=True, slots=True)
class GroupCare:
    welcome: bool
    welcome_text: str | None  # replaces the default rules paragraph
    policy: Policy


class GroupCareSettings:
    def __init__(
        self, redis: Redis, keys: Keys, *, welcome: bool = True, policy: Policy = Policy.mute
    ) -> None:
        self._redis = redis
        self._keys = keys
        self._welcome = welcome
        self._policy = policy

    async def of(self, group: int) -> GroupCare:
        raw = await self._redis.hgetall(self._keys.groupcare_settings(group))
        values = {str(k): str(v) for k, v in raw.items()}
        welcome = values.get("welcome")
        policy = values.get("policy", "")
        return GroupCare(
            welcome=self._welcome if welcome is None else welcome == "on",
            welcome_text=values.get("welcome_text") or None,
            policy=Policy(policy) if policy in Policy.__members__ else self._policy,
        )

    async def set_welcome(self, group: int, on: bool) -> None:
        key = self._keys.groupcare_settings(group)
        await self._redis.hset(key, "welcome", "on" if on else "off")

    async def set_welcome_text(self, group: int, text: str | None) -> None:
        """None (or blank) goes back to the default text."""
        key = self._keys.groupcare_settings(group)
        if text and text.strip():
            await self._redis.hset(key, "welcome_text", text.strip()[:MAX_WELCOME_TEXT])
        else:
            await self._redis.hdel(key, "welcome_text")

    async def set_policy(self, group: int, policy: Policy) -> None:
        await self._redis.hset(self._keys.groupcare_settings(group), "policy", policy.value)
