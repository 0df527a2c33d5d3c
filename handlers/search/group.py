"""Answering job queries in groups: the top three as a reply, within the group's budgets."""

from __future__ import annotations

import logging

from aiogram.types import InlineKeyboardMarkup, Message

from handlers.answering import reply_in_group
from handlers.search.answers import GROUP_TOP, group_answer
from handlers.search.asking import Ask
from jobfeed.links import Links
from jobfeed.search.saved import MAX_TEXT, SavedSearch
from jobfeed.search.service import SearchService
from jobfeed.search.throttle import ReplyGate
from jobfeed.texts import Texts

log = logging.getLogger(__name__)


async def answer_in_group(
    message: Message,
    *,
    ask: Ask,
    links: Links,
    texts: Texts,
    search_service: SearchService,
    search_gate: ReplyGate,
) -> None:
    assert message.from_user is not None  # AsksForJobs lets only users' messages through
    service = search_service
    if not await service.ready():
        return  # an answer from a half-loaded index could wrongly say 没有找到
    admission = await search_gate.admit(message.chat.id, message.from_user.id, message.message_id)
    if admission is None:
        log.debug("Search answer in %s held back by the throttle", message.chat.id)
        return
    total = None
    markup: InlineKeyboardMarkup | None = None
    if not ask.text:
        text = texts.render("search.usage")
    else:
        saved = SavedSearch(text=ask.text[:MAX_TEXT])
        found = await service.find(saved, GROUP_TOP)
        total = found.total
        more = await service.more(saved, found)
        alert = more or await service.save(saved)  # the 有新岗位通知我 link carries it
        trades = service.hint_trades(found.result) if not found.vacancies else []
        text, markup = await group_answer(links, texts, found, more, trades, alert_token=alert)
    if not await reply_in_group(message, search_gate, admission, text, markup):
        return
    if total is not None:
        await service.record(ask.text, total)
