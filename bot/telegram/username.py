"""The bot's @username, which every apply link the product makes carries."""

from __future__ import annotations

from aiogram import Bot

from bot.config import Settings


async def bot_username(settings: Settings, bot: Bot) -> str:
    """The @username in apply links: ``BOT_USERNAME`` if set, else getMe's (aiogram caches
    it). Every link the product makes (posts, search answers, web pages) uses this."""
    if settings.bot_username:
        return settings.bot_username.lstrip("@")
    me = await bot.me()
    if not me.username:
        raise RuntimeError("the bot has no username: set one with @BotFather")
    return me.username
