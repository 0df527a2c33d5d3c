"""Making the aiogram Bot and Dispatcher for a process."""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import DefaultKeyBuilder
from aiogram.fsm.storage.redis import RedisStorage
from redis.asyncio import ConnectionPool, Redis

from bot.services import Services
from handlers import get_routers


def create_bot(services: Services) -> Bot:
    settings = services.settings
    session = (
        AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
        if settings.telegram_api_base
        else AiohttpSession()
    )
    return Bot(
        token=settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def create_dispatcher(services: Services) -> Dispatcher:
    # The FSM gets its own client: the Dispatcher closes its storage on shutdown,
    # and that must not close the pool the rest of the process still uses.
    pool = services.redis.connection_pool
    fsm_redis = Redis(
        connection_pool=ConnectionPool(
            connection_class=pool.connection_class, **pool.connection_kwargs
        )
    )
    storage = RedisStorage(
        fsm_redis, key_builder=DefaultKeyBuilder(prefix=f"{services.keys.prefix}:fsm")
    )
    dp = Dispatcher(storage=storage, **services.handler_data())
    dp.include_routers(*get_routers())
    return dp
