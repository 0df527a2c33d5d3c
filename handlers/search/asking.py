"""Which group messages ask the bot for jobs: ``/jobs ...``, a mention of the bot, a reply to
the bot, or a message that is clearly a job query. Everything else is chatter.

This runs for every text message in every group, so chatter costs no Redis round trip:
the bot's username comes from aiogram's cached ``getMe`` and only when the text has an
``@``; the rest is the in-memory query parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from aiogram import Bot
from aiogram.filters import Filter
from aiogram.types import Message

from jobfeed.search.live import LiveIndex

COMMANDS = frozenset({"jobs"})
# /jobs 电焊工, /jobs@ZhaopinBot 电焊工
_COMMAND = re.compile(r"^/(\w+)(?:@(\w+))?(?:\s+|$)", re.DOTALL)


class AskedBy(StrEnum):
    command = "command"
    mention = "mention"
    reply = "reply"
    query = "query"  # not addressed to the bot, but clearly a job query


@dataclass(frozen=True, slots=True)
class Ask:
    by: AskedBy
    text: str  # the query: the message less the command or the mention


class AsksForJobs(Filter):
    """Passes ``ask`` (an ``Ask``) to the handler."""

    async def __call__(
        self, message: Message, bot: Bot, search: LiveIndex
    ) -> bool | dict[str, Any]:
        text = message.text
        if not text or message.from_user is None:
            return False
        if text.startswith("/"):
            ask = await command(text, bot)
            return {"ask": ask} if ask is not None else False  # another bot's or feature's
        ask = await addressed(message, text, bot)
        if ask is None:
            ask = _unaddressed(message, text, search)
        elif ask.by is AskedBy.mention and ask.text and _only_talk(search, ask.text):
            ask = None  # @bot 谢谢: nothing to answer
        elif ask.by is AskedBy.reply and not _names_a_job(search, ask.text):
            ask = None  # 谢谢, 工资多少 under a post: talk, not a search
        return {"ask": ask} if ask is not None else False


async def command(text: str, bot: Bot) -> Ask | None:
    """``/jobs ...`` or ``/jobs@<this bot> ...``; None for any other command."""
    found = _COMMAND.match(text)
    if found is None or found.group(1).lower() not in COMMANDS:
        return None
    if found.group(2) and found.group(2).lower() != (await _username(bot)).lower():
        return None
    return Ask(AskedBy.command, text[found.end() :].strip())


async def addressed(message: Message, text: str, bot: Bot) -> Ask | None:
    """The ask when the message mentions the bot or replies to it."""
    if "@" in text and (username := await _username(bot)):
        mention = re.compile(rf"@{re.escape(username)}\b", re.IGNORECASE)
        if mention.search(text):
            return Ask(AskedBy.mention, mention.sub(" ", text).strip())
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot.id:
        return Ask(AskedBy.reply, text.strip())
    return None


def _unaddressed(message: Message, text: str, search: LiveIndex) -> Ask | None:
    if message.forward_origin is not None or message.is_automatic_forward:
        return None  # a forwarded post is not its forwarder asking
    return Ask(AskedBy.query, text) if search.index.is_job_query(text) else None


def _only_talk(search: LiveIndex, text: str) -> bool:
    query = search.index.parse(text)
    return query.chatter and not query.concepts


def _names_a_job(search: LiveIndex, text: str) -> bool:
    """A reply to the bot worth a search: a trade, or a place (保安呢, 那包头呢)."""
    query = search.index.parse(text)
    if query.concepts:
        return True
    return not query.chatter and (query.place is not None or search.index.is_job_query(text))


async def _username(bot: Bot) -> str:
    return (await bot.me()).username or ""
