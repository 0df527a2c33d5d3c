"""The answer to a private-chat command sent in a group: "ask me in private".

Each feature registers the handler this makes with its own text (and, if it likes, a
button that opens the private chat ready to build a résumé).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.flood import patiently
from jobfeed.links import Links
from jobfeed.texts import Texts


@dataclass(frozen=True, slots=True)
class OpenPrivate:
    """A button that opens the private chat with the bot (``Links.resume_link``)."""

    label: str  # template name of the button's text
    values: Mapping[str, str] = field(default_factory=dict)


def private_only(
    text: str, button: OpenPrivate | None = None
) -> Callable[[Message, Links, Texts], Awaitable[None]]:
    """A handler replying with the template ``text`` (and ``button``) to the message."""

    async def answer(message: Message, links: Links, texts: Texts) -> None:
        markup = None
        if button is not None:
            url = await links.resume_link()
            label = texts.render(button.label, **button.values)
            markup = InlineKeyboardMarkup(
                inline_keyboard=[[InlineKeyboardButton(text=label, url=url)]]
            )
        await patiently(lambda: message.reply(texts.render(text), reply_markup=markup))

    return answer
