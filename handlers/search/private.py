"""Search in private chat: any text (or ``/jobs ...``), the 更多 link from a group, paging
and the city and pay filters."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware
from aiogram.exceptions import TelegramBadRequest, TelegramRetryAfter
from aiogram.filters import CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, TelegramObject

from handlers.answering import answer_press
from handlers.deeplinks import parse_search
from handlers.search.answers import (
    CITY_CHOICES,
    city_menu,
    pay_menu,
    private_page,
    shows_not_found,
)
from handlers.search.callbacks import CITY_BUTTON, FilterKind, SearchMenu, SearchPage, SearchSet
from jobfeed.links import Links
from jobfeed.search.saved import MAX_TEXT, SavedSearch
from jobfeed.search.service import SearchService
from jobfeed.texts import Texts

log = logging.getLogger(__name__)

CALLBACK_LOAD_WAIT = 5.0


@dataclass(frozen=True, slots=True)
class Desk:
    """What every private search handler works with (``DeskMiddleware`` makes it)."""

    links: Links
    texts: Texts
    service: SearchService

    async def page(
        self, wanted: SavedSearch, page: int, user_id: int
    ) -> tuple[str, InlineKeyboardMarkup, int]:
        """The page's text and buttons (a page past the end shows the last one), and the
        number of hits in all."""
        shown = await self.service.page(wanted, page)
        trades = self.service.hint_trades(shown.found.result) if shows_not_found(shown) else []
        text, markup = await private_page(
            links=self.links, texts=self.texts, page=shown, trades=trades, user_id=user_id
        )
        return text, markup, shown.found.total


class DeskMiddleware(BaseMiddleware):
    """Hands ``desk`` to the handler once one has matched (so chatter never builds one)."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        data["desk"] = Desk(data["links"], data["texts"], data["search_service"])
        return await handler(event, data)


async def query_command(message: Message, command: CommandObject, desk: Desk) -> None:
    """``/jobs 天津 电焊工`` in private chat."""
    await answer_query(message, command.args or "", desk)


async def query_text(message: Message, desk: Desk) -> None:
    """Any other text in private chat, outside a conversation, is a search."""
    await answer_query(message, message.text or "", desk)


async def answer_query(message: Message, text: str, desk: Desk) -> None:
    text = text.strip()[:MAX_TEXT]
    if not text or message.from_user is None or desk.service.is_small_talk(text):
        await message.answer(desk.texts.render("search.usage"))
        return
    if not await desk.service.ready():
        await message.answer(desk.texts.render("search.loading"))
        return
    wanted = SavedSearch(text=text)
    body, markup, total = await desk.page(wanted, 0, message.from_user.id)
    await desk.service.remember(message.from_user.id, wanted)  # for /subscribe
    # A 429 is waited out (bot/handling.py) or the update is handled again later: the
    # answer to a person is never dropped.
    await message.answer(body, reply_markup=markup)
    await desk.service.record(text, total)


async def start_link(
    message: Message,
    command: CommandObject,
    desk: Desk,
) -> None:
    """``/start search_<token>``: the 更多 button under a group answer."""
    texts = desk.texts
    token = parse_search(command.args)
    if token is None or message.from_user is None:
        await message.answer(texts.render("search.link_invalid"))
        return
    saved = await desk.service.saved(token)
    if saved is None:
        await message.answer(texts.render("search.expired"))
        return
    if not await desk.service.ready():
        await message.answer(texts.render("search.loading"))
        return
    body, markup, _ = await desk.page(saved, 0, message.from_user.id)
    await message.answer(body, reply_markup=markup)


async def turn_page(
    query: CallbackQuery,
    callback_data: SearchPage,
    desk: Desk,
) -> None:
    checked = await pressed(query, callback_data.u, callback_data.t, desk)
    if checked is None:
        return
    message, saved = checked
    body, markup, _ = await desk.page(saved, callback_data.p, query.from_user.id)
    await show(query, message, desk, body, markup)


async def show_menu(
    query: CallbackQuery,
    callback_data: SearchMenu,
    desk: Desk,
) -> None:
    checked = await pressed(query, callback_data.u, callback_data.t, desk)
    if checked is None:
        return
    message, saved = checked
    user_id, token = query.from_user.id, callback_data.t
    if callback_data.k is FilterKind.city:
        fits = lambda city: CITY_BUTTON.fullmatch(city) is not None  # noqa: E731
        cities = desk.service.cities(saved, CITY_CHOICES, fits)
        markup = city_menu(desk.texts, cities, token, user_id)
    else:
        markup = pay_menu(desk.texts, token, user_id)
    await show(query, message, desk, None, markup)


async def set_filter(
    query: CallbackQuery,
    callback_data: SearchSet,
    desk: Desk,
) -> None:
    checked = await pressed(query, callback_data.u, callback_data.t, desk)
    if checked is None:
        return
    message, saved = checked
    try:
        if callback_data.k is FilterKind.city:
            narrowed = saved.model_copy(update={"city": callback_data.city()})
        else:
            narrowed = saved.model_copy(update={"min_pay": callback_data.min_pay()})
    except ValueError:
        await answer_press(query, desk.texts.render("search.button_gone"), show_alert=True)
        return
    body, markup, _ = await desk.page(narrowed, 0, query.from_user.id)
    await show(query, message, desk, body, markup)


async def button_gone(query: CallbackQuery, texts: Texts) -> None:
    """Search buttons whose data does not parse (from an older version, or forged)."""
    await answer_press(query, texts.render("search.button_gone"), show_alert=True)


async def pressed(
    query: CallbackQuery, owner: int, token: str, desk: Desk
) -> tuple[Message, SavedSearch] | None:
    """The message and the search a button acts on; None (the press answered) when the
    presser is not the user it was shown to, or the search or the message is gone."""
    texts = desk.texts
    if query.from_user.id != owner:
        await answer_press(query, texts.render("search.not_yours"), show_alert=True)
        return None
    if not isinstance(query.message, Message):
        await answer_press(query, texts.render("search.button_gone"), show_alert=True)
        return None
    saved = await desk.service.saved(token)
    if saved is None:
        await answer_press(query, texts.render("search.expired"), show_alert=True)
        return None
    if not await desk.service.ready(CALLBACK_LOAD_WAIT):
        await answer_press(query, texts.render("search.loading"), show_alert=True)
        return None
    return query.message, saved


async def show(
    query: CallbackQuery,
    message: Message,
    desk: Desk,
    body: str | None,
    markup: InlineKeyboardMarkup,
) -> None:
    """Edit the pressed message; a replayed press changes nothing and says nothing."""
    try:
        if body is None:
            await message.edit_reply_markup(reply_markup=markup)
        else:
            await message.edit_text(body, reply_markup=markup)
    except TelegramRetryAfter:
        await answer_press(query, desk.texts.render("search.too_fast"))
        return
    except TelegramBadRequest as exc:
        if "not modified" not in exc.message:
            log.warning("Search page not shown: %s", exc.message)
            await answer_press(query, desk.texts.render("search.button_gone"), show_alert=True)
            return
    with contextlib.suppress(TelegramBadRequest):  # an answer too late is no matter
        await answer_press(query)
