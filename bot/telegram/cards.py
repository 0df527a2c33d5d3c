"""Delivering application cards in Telegram, and sending again those Telegram kept back.

A card goes to the vacancy's recruiter (or, without one or when they refuse it for good,
to the admins; a network or server error is retried, then queued to send again). The
queue is sent again after the next delivered card, at startup and every minute
(``CardRedelivery``): a card whose sender died (its claim ran out) or that no later
filing picked up still reaches the recruiter. Every delivery is written to the access
log. The card's buttons and ``/application`` are the recruiter's UI
(``handlers.applications``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from enum import Enum
from functools import partial

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNotFound,
)
from aiogram.types import Message
from redis.exceptions import RedisError

from handlers.applications import status_keyboard
from handlers.flood import patiently
from handlers.identity import CHANNEL, actor
from jobfeed.applications.models import AccessAction, Application
from jobfeed.applications.repository import ApplicationRepository
from jobfeed.observe import ApplicationObserver, Ignore
from jobfeed.periodic import sleep_unless
from jobfeed.texts import Texts

log = logging.getLogger(__name__)

# A network or server error is retried a few times, then left for a later attempt;
# only a permanent refusal (blocked, never started, no such chat) sends the card to admins.
SEND_ATTEMPTS = 3
BACKOFF = 0.5  # seconds, doubled after each failed attempt
PENDING_BATCH = 5
INTERVAL_SECONDS = 60.0  # between rounds of sending again what was kept back


class Outcome(Enum):
    sent = "sent"
    refused = "refused"  # permanent: this chat cannot be reached
    later = "later"  # transient: try again later


class CardDelivery:
    def __init__(
        self,
        bot: Bot,
        texts: Texts,
        applications: ApplicationRepository,
        admin_ids: frozenset[int],
    ) -> None:
        self._bot = bot
        self._texts = texts
        self._applications = applications
        self._admin_ids = admin_ids
        self.observer: ApplicationObserver = Ignore()  # set by the wiring (bot.metrics)

    async def deliver(self, application: Application) -> bool:
        """Send the card once (a replayed submission finds it delivered); False when a
        transient error kept it back, in which case it is queued for ``deliver_pending``.

        Only the holder of the card's claim sends it: filings finishing together (in this
        process or others) would otherwise each send it. A card claimed elsewhere counts as
        taken care of; it stays queued until sent, so a sender that died leaves it to the
        next ``deliver_pending`` once its lease runs out.
        """
        applications = self._applications
        number = application.number
        if application.resume is None:
            return True
        owner = await applications.delivery.claim(number)
        if owner is None:
            return True
        try:
            if await applications.is_delivered(number):
                return True
            await applications.mark_undelivered(number)  # queued first: we might die sending
            outcome = await self._send_everywhere(application)
            if outcome is Outcome.sent:
                await applications.delivery.delivered(number, owner)
                self.observer.delivered()
            elif outcome is Outcome.later:
                log.warning("Application %s not delivered yet; queued to send again", number)
                return False
            else:
                log.error("Application %s reached nobody (no recruiter or admin)", number)
                await applications.drop_undelivered(number)
            return True
        finally:
            await applications.delivery.release(number, owner)

    async def deliver_pending(self) -> None:
        """Send again the cards a transient error kept back, oldest first, stopping at the
        first that still fails (Telegram is still unwell)."""
        applications = self._applications
        for number in await applications.undelivered(PENDING_BATCH):
            application = await applications.get(number)
            if application is None or application.resume is None:
                await applications.drop_undelivered(number)  # forgotten or expired meanwhile
                continue
            if not await self.deliver(application):
                return

    async def scrub(self, numbers: Sequence[int]) -> None:
        """Replace the cards of forgotten applications in the staff chats."""
        applications, texts = self._applications, self._texts
        for number in numbers:
            application = await applications.get(number)
            if application is None:
                continue
            for chat_id, message_id, kind in await applications.cards(number):
                try:
                    if kind == "file":
                        await self._bot.delete_message(chat_id, message_id)
                    else:
                        await self._bot.edit_message_text(
                            text=texts.render("applications.forgotten_card", app=application),
                            chat_id=chat_id,
                            message_id=message_id,
                        )
                except TelegramAPIError as exc:
                    # Telegram lets a bot delete only messages younger than 48 hours.
                    log.warning(
                        "Card %s/%s of application %s not scrubbed: %s",
                        chat_id,
                        message_id,
                        number,
                        exc,
                    )

    async def _send_everywhere(self, application: Application) -> Outcome:
        recruiter = application.recruiter_id
        outcome = Outcome.refused
        if recruiter is not None:
            outcome = await self._send_card(recruiter, application)
        if outcome is Outcome.refused:
            # No recruiter, or one who never started the bot or blocked it: admins step in.
            outcomes = [
                await self._send_card(admin, application) for admin in sorted(self._admin_ids)
            ]
            if Outcome.sent in outcomes:
                outcome = Outcome.sent
            elif Outcome.later in outcomes:
                outcome = Outcome.later
        return outcome

    async def _send_card(self, chat_id: int, application: Application) -> Outcome:
        bot, texts, applications = self._bot, self._texts, self._applications
        number = application.number
        # An earlier attempt may have sent part of it: send only what is missing.
        sent_kinds = {
            kind for chat, _, kind in await applications.cards(number) if chat == chat_id
        }
        if "text" not in sent_kinds:
            outcome = await self._attempt(
                number,
                chat_id,
                lambda: bot.send_message(
                    chat_id,
                    texts.render("applications.card", app=application),
                    reply_markup=status_keyboard(texts, application),
                ),
                "text",
            )
            if outcome is not Outcome.sent:
                return outcome
            await applications.log_access([number], actor(chat_id), AccessAction.delivered)
        attachment = application.resume.attachment if application.resume else None
        if attachment is not None and attachment.channel != CHANNEL:
            log.warning("Application %s: its file is in %s, not sent", number, attachment.channel)
        elif attachment is not None and "file" not in sent_kinds:
            caption = texts.render("applications.file_caption", number=number)
            send: Callable[[], Awaitable[Message]]
            if attachment.as_photo:
                send = partial(bot.send_photo, chat_id, attachment.ref, caption=caption)
            else:
                send = partial(bot.send_document, chat_id, attachment.ref, caption=caption)
            if await self._attempt(number, chat_id, send, "file") is Outcome.later:
                return Outcome.later
            # A refused file still leaves the card with the recruiter: delivered.
        return Outcome.sent

    async def _attempt(
        self, number: int, chat_id: int, send: Callable[[], Awaitable[Message]], kind: str
    ) -> Outcome:
        for attempt in range(SEND_ATTEMPTS):
            try:
                message = await patiently(send)
            except (TelegramForbiddenError, TelegramBadRequest, TelegramNotFound) as exc:
                log.warning("Card of application %s refused by %s: %s", number, chat_id, exc)
                return Outcome.refused
            except TelegramAPIError as exc:
                log.warning(
                    "Card of application %s to %s failed (attempt %d): %s",
                    number,
                    chat_id,
                    attempt + 1,
                    exc,
                )
                if attempt + 1 < SEND_ATTEMPTS:
                    await asyncio.sleep(BACKOFF * 2**attempt)
                continue
            await self._applications.add_card(number, chat_id, message.message_id, kind)
            return Outcome.sent
        return Outcome.later


class CardRedelivery:
    """At startup and then every ``interval``: send the cards kept back."""

    def __init__(self, cards: CardDelivery, interval: float = INTERVAL_SECONDS) -> None:
        self._cards = cards
        self._interval = interval

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self._cards.deliver_pending()
            except (RedisError, OSError) as exc:
                # The next round (or the next delivered application) tries again.
                log.warning("Undelivered application cards not sent now: %s", exc)
            await sleep_unless(stop, self._interval)
