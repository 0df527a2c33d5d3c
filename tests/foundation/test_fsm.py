"""Conversations live in private chats; group chats never touch the FSM store."""

from __future__ import annotations

import pytest
from aiogram.fsm.storage.base import DefaultKeyBuilder, StorageKey
from redis.asyncio import Redis

from bot.telegram.fsm import PrivateChatStorage
from jobfeed.keys import Keys


async def test_private_state_round_trips_and_group_state_is_refused(
    redis: Redis, keys: Keys
) -> None:
    storage = PrivateChatStorage(redis, key_builder=DefaultKeyBuilder(prefix=keys.prefix))
    private = StorageKey(bot_id=1, chat_id=42, user_id=42)
    group = StorageKey(bot_id=1, chat_id=-100, user_id=42)
    await storage.set_state(private, "Applying:phone")
    await storage.set_data(private, {"name": "王师傅"})
    assert await storage.get_state(private) == "Applying:phone"
    assert await storage.get_data(private) == {"name": "王师傅"}
    assert await storage.get_state(group) is None
    assert await storage.get_data(group) == {}
    with pytest.raises(RuntimeError):
        await storage.set_state(group, "Applying:phone")
    with pytest.raises(RuntimeError):
        await storage.set_data(group, {"name": "x"})
