"""A bare ``/start`` (no deep-link payload) and ``/help`` in private chat."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject, CommandStart, Filter
from aiogram.types import Message

from handlers.filters import InPrivate
from jobfeed.texts import Texts


class NoPayload(Filter):
    """``/start`` itself: payloads (``apply_…``, ``search_…``) belong to their features."""

    async def __call__(self, message: Message, command: CommandObject) -> bool:
        return not command.args


def router() -> Router:
    r = Router(name="start")
    r.message.register(welcome, CommandStart(), NoPayload(), InPrivate())
    r.message.register(show_help, Command("help"), InPrivate())
    return r


async def welcome(message: Message, texts: Texts) -> None:
    name = message.from_user.first_name if message.from_user else ""
    await message.answer(texts.render("start.welcome", name=name))


async def show_help(message: Message, texts: Texts, admin_ids: frozenset[int]) -> None:
    user = message.from_user
    await message.answer(texts.render("start.help", is_admin=bool(user and user.id in admin_ids)))
