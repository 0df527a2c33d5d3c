"""Job search: answers in groups (throttled), search with paging and filters in private chat."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandStart, StateFilter

from handlers.deeplinks import SEARCH_PREFIX
from handlers.filters import InGroup, InPrivate, Magic, NotCommand
from handlers.search import group, private
from handlers.search.asking import AsksForJobs
from handlers.search.callbacks import EXPIRED_PREFIXES, SearchMenu, SearchPage, SearchSet


def router() -> Router:
    r = Router(name="search")
    # Every group message comes this way: one cheap check sends it on or drops it.
    r.message.register(group.answer_in_group, InGroup(), AsksForJobs())
    r.message.middleware(private.DeskMiddleware())
    r.message.register(
        private.start_link,
        InPrivate(),
        CommandStart(deep_link=True, magic=F.args.startswith(SEARCH_PREFIX)),
    )
    r.message.register(private.query_command, InPrivate(), Command("jobs"))
    # Outside any conversation: a résumé or /post step's answer never reaches here.
    r.message.register(
        private.query_text, InPrivate(), Magic(F.text), NotCommand(), StateFilter(None)
    )
    r.callback_query.middleware(private.DeskMiddleware())
    r.callback_query.register(private.turn_page, SearchPage.filter())
    r.callback_query.register(private.show_menu, SearchMenu.filter())
    r.callback_query.register(private.set_filter, SearchSet.filter())
    r.callback_query.register(private.button_gone, Magic(F.data.startswith(EXPIRED_PREFIXES)))
    return r
