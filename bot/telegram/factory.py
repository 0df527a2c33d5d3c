"""Making the aiogram Bot and Dispatcher for a process."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import DefaultKeyBuilder
from redis.asyncio import Redis

from bot.config import Settings
from bot.storage import sibling_client
from bot.telegram.fsm import PrivateChatStorage
from bot.telegram.handling import ReplyGuard
from handlers import get_routers
from jobfeed.intake import UpdateInbox
from jobfeed.keys import Keys


def create_bot(settings: Settings, inbox: UpdateInbox) -> Bot:
    session = (
        AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
        if settings.telegram_api_base
        else AiohttpSession()
    )
    # Replies made while handling an update wait out flood control and are never sent
    # twice for one update (bot/handling.py); other sends pass through untouched.
    session.middleware(ReplyGuard(inbox))
    return Bot(
        token=settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


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
    dp.include_routers(*get_routers())
    return dp
