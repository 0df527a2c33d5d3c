"""The welcome job: sends each group's due welcome (``jobfeed.groupcare.welcome``) naming
everyone who joined since the last one, then removes the previous welcome. Supervised
(``bot/supervision.py``); the schedule is in Redis, so a restart loses nothing."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramRetryAfter

from jobfeed.groupcare.settings import GroupCareSettings
from jobfeed.groupcare.welcome import MAX_NAMES, DueWelcome, Welcomes
from jobfeed.periodic import every
from jobfeed.texts import Texts

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0


class WelcomeSender:
    def __init__(
        self,
        bot: Bot,
        welcomes: Welcomes,
        groupcare: GroupCareSettings,
        texts: Texts,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._bot = bot
        self._welcomes = welcomes
        self._groupcare = groupcare
        self._texts = texts
        self._clock = clock

    async def run(self, stop: asyncio.Event) -> None:
        await every(stop, POLL_SECONDS, self.send_due)

    async def send_due(self) -> int:
        """Send every due welcome; returns how many went out."""
        sent = 0
        for group in await self._welcomes.due(self._clock()):
            due = await self._welcomes.claim(group)
            if due is not None and due.newcomers:
                sent += await self._send(due)
        return sent

    async def _send(self, due: DueWelcome) -> int:
        care = await self._groupcare.of(due.group)
        if not care.welcome:
            return 0
        names = [person.name for person in due.newcomers[:MAX_NAMES]]
        username = (await self._bot.me()).username or ""
        text = self._texts.render(
            "groupcare.welcome",
            names=names,
            more=max(0, len(due.newcomers) - MAX_NAMES),
            rules=care.welcome_text,
            username=username,
        )
        try:
            message = await self._bot.send_message(due.group, text)
        except TelegramRetryAfter as exc:
            log.warning("Welcome in %s got 429 (retry after %s s)", due.group, exc.retry_after)
            await self._welcomes.sent(due.group, due.previous, self._clock())
            return 0
        except TelegramAPIError as exc:
            # A welcome is not worth retrying: late, it greets people who have moved on.
            log.warning("Welcome in %s failed: %s", due.group, exc)
            await self._welcomes.sent(due.group, due.previous, self._clock())
            return 0
        await self._welcomes.sent(due.group, message.message_id, self._clock())
        if due.previous is not None:
            with contextlib.suppress(TelegramAPIError):  # gone already, or too old
                await self._bot.delete_message(due.group, due.previous)
        log.info("Welcomed %s newcomers in %s", len(due.newcomers), due.group)
        return 1
