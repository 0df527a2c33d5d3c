"""The Links port for Telegram: ``/start`` deep links to the bot's private chat.

The one place that knows the bot's @username: ``BOT_USERNAME`` if set, else getMe's
(asked once, then kept). Every apply link the product makes (posts, search answers, the
"open the private chat" buttons, public job pages, the API) comes from here; the
payload rules are ``handlers.deeplinks``'.
"""

from __future__ import annotations

from aiogram import Bot

from handlers.deeplinks import (
    RESUME_PAYLOAD,
    alert_payload,
    apply_payload,
    search_payload,
    start_link,
)


class TelegramLinks:
    def __init__(self, bot: Bot | None, username: str | None = None) -> None:
        """``username``: the ``BOT_USERNAME`` setting (with or without ``@``), if any;
        without it, ``bot`` is asked (getMe)."""
        if bot is None and not username:
            raise ValueError("TelegramLinks needs a bot or a username")
        self._bot = bot
        self._username = username.lstrip("@") if username else None

    async def username(self) -> str:
        if self._username is None:
            assert self._bot is not None
            me = await self._bot.me()
            if not me.username:
                raise ValueError("the bot has no username: set one with @BotFather")
            self._username = me.username
        return self._username

    async def apply_link(self, vacancy_id: str) -> str:
        return start_link(await self.username(), apply_payload(vacancy_id))

    async def resume_link(self) -> str:
        return start_link(await self.username(), RESUME_PAYLOAD)

    async def search_link(self, token: str) -> str:
        return start_link(await self.username(), search_payload(token))

    async def alert_link(self, token: str) -> str:
        return start_link(await self.username(), alert_payload(token))
