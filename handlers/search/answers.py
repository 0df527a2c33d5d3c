"""What a search answer looks like in Telegram: the hits as text, apply and paging buttons,
filter menus. Finding, paging and recording are ``jobfeed.search.service``'s."""

from __future__ import annotations

import html
from typing import Any

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.alerts.keyboards import notify_me, notify_me_link
from handlers.search.callbacks import (
    PAY_STEPS,
    FilterKind,
    SearchMenu,
    SearchPage,
    SearchSet,
)
from jobfeed.links import Links
from jobfeed.models import Vacancy
from jobfeed.search.index import SearchResult
from jobfeed.search.service import Found, Page
from jobfeed.texts import Texts

GROUP_TOP = 3
CITY_CHOICES = 8
Trades = list[tuple[str, int]]

Rows = list[list[InlineKeyboardButton]]


def label(texts: Texts, name: str, value: Any = None) -> str:
    """A button's text. Texts are escaped for HTML messages; buttons show text as it is."""
    return html.unescape(texts.render("search.button", name=name, value=value))


async def apply_buttons(links: Links, texts: Texts, vacancies: list[Vacancy], first: int) -> Rows:
    row = [
        InlineKeyboardButton(
            text=label(texts, "apply", first + n),
            url=await links.apply_link(vacancy.id),
        )
        for n, vacancy in enumerate(vacancies)
    ]
    return [row] if row else []


async def group_answer(
    links: Links,
    texts: Texts,
    found: Found,
    more_token: str | None,
    trades: Trades,
    *,
    alert_token: str | None = None,
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The top hits, or (none found) what there is plenty of: ``trades``; with
    ``alert_token``, the 有新岗位通知我 link (it leads to the private chat)."""
    result = found.result
    alert = [[await notify_me_link(links, texts, alert_token)]] if alert_token else []
    if not found.vacancies:
        markup = InlineKeyboardMarkup(inline_keyboard=alert) if alert else None
        return not_found(texts, result, trades), markup
    text = texts.render("search.group_answer", result=result, vacancies=found.vacancies)
    rows = await apply_buttons(links, texts, found.vacancies, 1)
    if more_token is not None:
        url = await links.search_link(more_token)
        rows.append([InlineKeyboardButton(text=label(texts, "more"), url=url)])
    return text, InlineKeyboardMarkup(inline_keyboard=rows + alert)


def not_found(texts: Texts, result: SearchResult, trades: Trades) -> str:
    return texts.render("search.not_found", query=result.query, trades=trades)


def shows_not_found(page: Page) -> bool:
    """Whether ``private_page`` will say nothing was found (and wants the ``trades``)."""
    saved = page.search
    return not page.found.result.hits and not (saved.city or saved.min_pay)


async def private_page(
    *, links: Links, texts: Texts, page: Page, trades: Trades, user_id: int
) -> tuple[str, InlineKeyboardMarkup]:
    found, saved, token = page.found, page.search, page.token
    result = found.result
    pages, first = page.pages, page.first
    if result.hits:
        text = texts.render(
            "search.private_page",
            result=result,
            vacancies=found.vacancies,
            page=page.number,
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
        text = not_found(texts, result, trades)
    rows = await apply_buttons(links, texts, found.vacancies, first)
    nav = []
    if page.has_previous:
        back = SearchPage(t=token, u=user_id, p=page.number - 1)
        nav.append(InlineKeyboardButton(text=label(texts, "prev"), callback_data=back.pack()))
    if page.has_next:
        ahead = SearchPage(t=token, u=user_id, p=page.number + 1)
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
    rows.append([notify_me(texts, token)])
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


def city_menu(texts: Texts, cities: list[str], token: str, user_id: int) -> InlineKeyboardMarkup:
    """``cities``: the search's hits' cities, most hits first (``SearchService.cities``)."""
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
