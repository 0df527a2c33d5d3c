"""FSM storage for conversations, which only ever happen in private chats.

aiogram's FSM middleware reads the state of every update's chat; for group chatter
(most of the traffic) that is a Redis round trip that always finds nothing. Here a
group chat's state is ``None`` without asking Redis, and setting one is a bug.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.redis import RedisStorage


def is_private(key: StorageKey) -> bool:
    return key.chat_id == key.user_id


class PrivateChatStorage(RedisStorage):
    async def get_state(self, key: StorageKey) -> str | None:
        return await super().get_state(key) if is_private(key) else None

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return await super().get_data(key) if is_private(key) else {}

    async def set_state(self, key: StorageKey, state: str | State | None = None) -> None:
        if not is_private(key):
            raise RuntimeError("conversations happen in private chats only")
        await super().set_state(key, state)

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        if not is_private(key):
            raise RuntimeError("conversations happen in private chats only")
        await super().set_data(key, data)
