"""The answer to a private-chat command sent in a group: "ask me in private".

Each feature registers the handler this makes with its own text (and, if it likes, a
button that opens the private chat at a ``/start`` payload).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from aiogram import Bot
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.deep_linking import create_start_link

from handlers.flood import patiently
from jobfeed.texts import Texts


@dataclass(frozen=True, slots=True)
class OpenPrivate:
    """A button that opens the private chat with the bot at ``/start <payload>``."""

    label: str  # template name of the button's text
    payload: str
    values: Mapping[str, str] = field(default_factory=dict)


def private_only(
    text: str, button: OpenPrivate | None = None
) -> Callable[[Message, Bot, Texts], Awaitable[None]]:
    """A handler replying with the template ``text`` (and ``button``) to the message."""

    async def answer(message: Message, bot: Bot, texts: Texts) -> None:
        markup = None
        if button is not None:
            url = await create_start_link(bot, button.payload)
            label = texts.render(button.label, **button.values)
            markup = InlineKeyboardMarkup(
                inline_keyboard=[[InlineKeyboardButton(text=label, url=url)]]
            )
        await patiently(lambda: message.reply(texts.render(text), reply_markup=markup))

    return answer
