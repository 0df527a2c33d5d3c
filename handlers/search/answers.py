"""What a search answer looks like: the hits as text, apply and paging buttons, filter menus."""

from __future__ import annotations

import asyncio
import html
import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.deep_linking import create_start_link
from redis.exceptions import RedisError

from handlers.search.callbacks import (
    CITY_BUTTON,
    PAY_STEPS,
    FilterKind,
    SearchMenu,
    SearchPage,
    SearchSet,
)
from jobfeed.applications.links import apply_payload
from jobfeed.models import Vacancy
from jobfeed.search.analytics import SearchAnalytics
from jobfeed.search.index import SearchResult
from jobfeed.search.live import LiveIndex
from jobfeed.search.saved import SavedSearch, search_payload
from jobfeed.texts import Texts
from jobfeed.vacancies import VacancyRepository

log = logging.getLogger(__name__)

GROUP_TOP = 3
PAGE_SIZE = 5
LOAD_WAIT = 20.0  # seconds an early update waits for the first load of the index
CITY_CHOICES = 8
_CITY_SAMPLE = 300  # hits looked at to offer the cities they are in

Rows = list[list[InlineKeyboardButton]]


@dataclass(frozen=True, slots=True)
class Found:
    result: SearchResult
    vacancies: list[Vacancy]  # the hits' vacancies in order (one deleted meanwhile is left out)


async def index_ready(search: LiveIndex, wait: float = LOAD_WAIT) -> bool:
    try:
        await asyncio.wait_for(search.loaded.wait(), wait)
    except TimeoutError:
        return False
    return True


async def find(
    search: LiveIndex,
    vacancies: VacancyRepository,
    saved: SavedSearch,
    limit: int,
    offset: int = 0,
) -> Found:
    result = search.index.search(saved.text, limit, offset, city=saved.city, min_pay=saved.min_pay)
    stored = {v.id: v for v in await vacancies.get_many(h.vacancy_id for h in result.hits)}
    return Found(result, [stored[h.vacancy_id] for h in result.hits if h.vacancy_id in stored])


async def record(analytics: SearchAnalytics, text: str, total: int) -> None:
    """Count an answered query; a lost count must not fail an answer that went out."""
    try:
        await analytics.record(text, total)
    except RedisError as exc:
        log.warning("Search analytics not recorded: %s", exc)


def label(texts: Texts, name: str, value: Any = None) -> str:
    """A button's text. Texts are escaped for HTML messages; buttons show text as it is."""
    return html.unescape(texts.render("search.button", name=name, value=value))


async def apply_buttons(bot: Bot, texts: Texts, vacancies: list[Vacancy], first: int) -> Rows:
    row = [
        InlineKeyboardButton(
            text=label(texts, "apply", first + n),
            url=await create_start_link(bot, apply_payload(vacancy.id)),
        )
        for n, vacancy in enumerate(vacancies)
    ]
    return [row] if row else []


async def group_answer(
    bot: Bot, texts: Texts, search: LiveIndex, found: Found, more_token: str | None
) -> tuple[str, InlineKeyboardMarkup | None]:
    result = found.result
    if not found.vacancies:
        return not_found(texts, result, hint_trades(search, result)), None
    text = texts.render("search.group_answer", result=result, vacancies=found.vacancies)
    rows = await apply_buttons(bot, texts, found.vacancies, 1)
    if more_token is not None:
        url = await create_start_link(bot, search_payload(more_token))
        rows.append([InlineKeyboardButton(text=label(texts, "more"), url=url)])
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


def not_found(texts: Texts, result: SearchResult, trades: list[tuple[str, int]]) -> str:
    return texts.render("search.not_found", query=result.query, trades=trades)


def hint_trades(search: LiveIndex, result: SearchResult) -> list[tuple[str, int]]:
    """What there is plenty of (in the place asked about, if any), after 没有找到."""
    place = result.query.place
    trades = search.index.popular(5, city=place.name) if place else []
    return trades or search.index.popular(5)


async def private_page(
    *,
    bot: Bot,
    texts: Texts,
    search: LiveIndex,
    found: Found,
    saved: SavedSearch,
    token: str,
    page: int,
    user_id: int,
) -> tuple[str, InlineKeyboardMarkup]:
    result = found.result
    pages = max(1, -(-result.total // PAGE_SIZE))
    first = page * PAGE_SIZE + 1
    if result.hits:
        text = texts.render(
            "search.private_page",
            result=result,
            vacancies=found.vacancies,
            page=page,
            pages=pages,
            first=first,
            saved=saved,
        )
    elif saved.city or saved.min_pay:
        text = texts.render(
            "search.private_page",
            result=result,
            vacancies=[],
            page=0,
            pages=1,
            first=1,
            saved=saved,
        )
    else:
        text = not_found(texts, result, hint_trades(search, result))
    rows = await apply_buttons(bot, texts, found.vacancies, first)
    nav = []
    if page > 0:
        back = SearchPage(t=token, u=user_id, p=page - 1)
        nav.append(InlineKeyboardButton(text=label(texts, "prev"), callback_data=back.pack()))
    if page + 1 < pages:
        ahead = SearchPage(t=token, u=user_id, p=page + 1)
        nav.append(InlineKeyboardButton(text=label(texts, "next"), callback_data=ahead.pack()))
    if nav:
        rows.append(nav)
    filters = []
    if result.query.place is None:  # a place in the query itself leaves nothing to choose
        menu = SearchMenu(t=token, u=user_id, k=FilterKind.city).pack()
        filters.append(
            InlineKeyboardButton(text=label(texts, "city", saved.city), callback_data=menu)
        )
    menu = SearchMenu(t=token, u=user_id, k=FilterKind.pay).pack()
    filters.append(
        InlineKeyboardButton(text=label(texts, "pay", saved.min_pay), callback_data=menu)
    )
    if result.hits or saved.city or saved.min_pay:  # nothing to narrow down, or to widen
        rows.append(filters)
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


def city_menu(
    texts: Texts, search: LiveIndex, saved: SavedSearch, token: str, user_id: int
) -> InlineKeyboardMarkup:
    """The cities the search's hits are in, most hits first."""
    anywhere = saved.model_copy(update={"city": None})
    result = search.index.search(anywhere.text, _CITY_SAMPLE, min_pay=saved.min_pay)
    counts = Counter(h.city for h in result.hits if CITY_BUTTON.fullmatch(h.city))
    cities = [city for city, _ in counts.most_common(CITY_CHOICES)]
    buttons = [
        InlineKeyboardButton(
            text=city,
            callback_data=SearchSet(t=token, u=user_id, k=FilterKind.city, v=city).pack(),
        )
        for city in cities
    ]
    rows = [buttons[i : i + 4] for i in range(0, len(buttons), 4)]
    return _menu(texts, rows, token, user_id, FilterKind.city)


def pay_menu(texts: Texts, token: str, user_id: int) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            text=label(texts, "pay_option", step),
            callback_data=SearchSet(t=token, u=user_id, k=FilterKind.pay, v=str(step)).pack(),
        )
        for step in PAY_STEPS
    ]
    return _menu(texts, [buttons], token, user_id, FilterKind.pay)


def _menu(
    texts: Texts, rows: Rows, token: str, user_id: int, kind: FilterKind
) -> InlineKeyboardMarkup:
    any_name = "any_city" if kind is FilterKind.city else "any_pay"
    clear = SearchSet(t=token, u=user_id, k=kind, v="").pack()
    back = SearchPage(t=token, u=user_id, p=0).pack()
    rows = [
        *rows,
        [
            InlineKeyboardButton(text=label(texts, any_name), callback_data=clear),
            InlineKeyboardButton(text=label(texts, "back"), callback_data=back),
        ],
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)
