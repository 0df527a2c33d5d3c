"""Making the aiogram Bot for a process (the Dispatcher: bot/telegram/dispatcher.py)."""

from __future__ import annotations

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode

from bot.config import Settings
from bot.telegram.handling import ReplyGuard
from jobfeed.intake import UpdateInbox


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
