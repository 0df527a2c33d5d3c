"""``Turn``: everything one handled update of the conversation needs, injected as ``turn``.

An inner middleware builds it from the Dispatcher's data once a handler has matched, so
helpers take one argument instead of eight.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    TelegramObject,
)

from handlers.flood import patiently
from handlers.resume.conversation import Conversation, load, save
from jobfeed.applications.flow import ResumeFlow
from jobfeed.applications.repository import ApplicationRepository
from jobfeed.notify import Notifier
from jobfeed.texts import Texts
from jobfeed.vacancies import VacancyRepository

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


@dataclass(frozen=True, slots=True)
class Turn:
    bot: Bot
    chat_id: int
    user_id: int
    state: FSMContext
    texts: Texts
    applications: ApplicationRepository
    vacancies: VacancyRepository
    admin_ids: frozenset[int]
    notifier: Notifier
    flow: ResumeFlow

    def render(self, name: str, /, **values: Any) -> str:
        return self.texts.render(f"resume.{name}", **values)

    async def say(self, text: str, markup: Markup | None = None) -> Message:
        # A quick typist can outrun Telegram's per-chat limit: wait rather than lose
        # the question (the step is already saved).
        return await patiently(
            lambda: self.bot.send_message(self.chat_id, text, reply_markup=markup)
        )

    async def load(self) -> Conversation:
        return await load(self.state)

    async def save(self, conversation: Conversation) -> None:
        await save(self.state, conversation)

    @property
    def retention_days(self) -> int:
        return self.applications.retention_days


async def drop_buttons(query: CallbackQuery) -> None:
    """Take the buttons off the pressed message, so it cannot be pressed twice by accident.
    Telegram refuses this for some old messages; that changes nothing for the step."""
    if isinstance(query.message, Message):
        try:
            await query.message.edit_reply_markup(reply_markup=None)
        except TelegramBadRequest as exc:
            log.info("Buttons of message %s kept: %s", query.message.message_id, exc)


class TurnMiddleware(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        chat_id = user_id = None
        if isinstance(event, Message) and event.from_user is not None:
            chat_id, user_id = event.chat.id, event.from_user.id
        elif isinstance(event, CallbackQuery) and event.message is not None:
            chat_id, user_id = event.message.chat.id, event.from_user.id
        if chat_id is not None and user_id is not None and "state" in data:
            data["turn"] = Turn(
                bot=data["bot"],
                chat_id=chat_id,
                user_id=user_id,
                state=data["state"],
                texts=data["texts"],
                applications=data["applications"],
                vacancies=data["vacancies"],
                admin_ids=data["admin_ids"],
                notifier=data["notifier"],
                flow=data["resume_flow"],
            )
        return await handler(event, data)
