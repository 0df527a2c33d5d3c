"""Ways in: the apply deep link, ``/apply`` and ``/resume`` in private, 我要报名 in a group.

Nothing personal is ever asked in a group: there the bot only answers with a button
that opens the private chat.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.deeplinks import APPLY_PREFIX, OWNED, parse_apply
from handlers.filters import InGroup, InPrivate, Magic
from handlers.flood import patiently
from handlers.identity import CHANNEL
from handlers.private import OpenPrivate, private_only
from handlers.resume.prompts import show
from handlers.resume.turn import Turn
from jobfeed.links import Links
from jobfeed.texts import Texts
from jobfeed.vacancies import VacancyRepository

WANTS_TO_APPLY = re.compile(r"我(要|想)报名")


def register(r: Router) -> None:
    r.message.register(
        start_link, CommandStart(deep_link=True, magic=F.args.regexp(OWNED)), InPrivate()
    )
    r.message.register(apply_command, Command("apply", "resume"), InPrivate())
    to_private = OpenPrivate("resume.button", {"name": "open_private_resume"})
    r.message.register(
        private_only("resume.private_only", to_private),
        Command("apply", "resume", "myresume", "forget"),
        InGroup(),
    )
    r.message.register(group_apply, InGroup(), Magic(F.text.regexp(WANTS_TO_APPLY, mode="search")))


async def start_link(message: Message, command: CommandObject, turn: Turn) -> None:
    link = parse_apply(command.args)
    if link is None:
        await turn.say(turn.render("link_invalid"))
        return
    await begin(turn, link.vacancy_id)


async def apply_command(message: Message, command: CommandObject, turn: Turn) -> None:
    """``/resume`` and ``/apply``: build or update the résumé; ``/apply ID``: apply to ID."""
    vacancy_id = None
    if command.command == "apply" and command.args:
        link = parse_apply(APPLY_PREFIX + command.args.strip())
        if link is None:
            await turn.say(turn.render("link_invalid"))
            return
        vacancy_id = link.vacancy_id
    await begin(turn, vacancy_id)


async def begin(turn: Turn, vacancy_id: str | None) -> None:
    await turn.state.clear()
    conversation, step = await turn.flow.begin(turn.user_id, vacancy_id, CHANNEL)
    await show(turn, conversation, step)


async def group_apply(
    message: Message, links: Links, texts: Texts, vacancies: VacancyRepository
) -> None:
    """我要报名 in a group, perhaps as a reply to a post: a button into the private chat."""
    vacancy_id = replied_vacancy(message)
    vacancy = await vacancies.get(vacancy_id) if vacancy_id else None
    if vacancy is not None and not vacancy.is_open():
        vacancy = None
    url = await links.apply_link(vacancy.id) if vacancy else await links.resume_link()
    button = InlineKeyboardButton(text=texts.render("resume.button", name="open_private"), url=url)
    text = texts.render("resume.group_apply", vacancy_title=vacancy.title if vacancy else "")
    markup = InlineKeyboardMarkup(inline_keyboard=[[button]])
    await patiently(lambda: message.reply(text, reply_markup=markup))


def replied_vacancy(message: Message) -> str | None:
    """The vacancy of the post this message replies to, read from the post's apply link."""
    replied = message.reply_to_message
    markup = replied.reply_markup if replied else None
    if markup is None:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            if not button.url:
                continue
            for payload in parse_qs(urlparse(button.url).query).get("start", []):
                link = parse_apply(payload)
                if link is not None and link.vacancy_id:
                    return link.vacancy_id
    return None
