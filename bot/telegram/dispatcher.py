"""Making the web process's Dispatcher: the product's routers (``handlers``), FSM storage in
Redis. Only ``python -m bot run`` handles updates, so only it imports the handlers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiogram import Dispatcher
from aiogram.fsm.storage.base import DefaultKeyBuilder
from redis.asyncio import Redis

from bot.config import Settings
from bot.storage import sibling_client
from bot.telegram.fsm import PrivateChatStorage
from bot.wecom.chat import router as wecom_router
from handlers.routers import get_routers
from jobfeed.keys import Keys


def create_dispatcher(settings: Settings, redis: Redis, keys: Keys, **data: Any) -> Dispatcher:
    """The product's routers; ``data`` is what handlers ask for by parameter name."""
    # The FSM gets its own client: the Dispatcher closes its storage on shutdown,
    # and that must not close the pool the rest of the process still uses.
    fsm_redis = sibling_client(redis)
    # Conversation drafts hold personal data: an abandoned one expires like a résumé.
    retention = timedelta(days=settings.resume_retention_days)
    storage = PrivateChatStorage(
        fsm_redis,
        key_builder=DefaultKeyBuilder(prefix=f"{keys.prefix}:fsm"),
        state_ttl=retention,
        data_ttl=retention,
    )
    dp = Dispatcher(storage=storage, **data)
    dp.include_routers(wecom_router(), *get_routers())  # WeCom robots: before catch-alls
    return dp
