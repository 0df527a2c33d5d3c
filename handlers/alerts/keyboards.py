"""The buttons of availability and alerts: callback data and keyboards.

``AlertAction`` carries the action and a saved search's token (``new``, ``ok``) or an
availability id (``del``); ``stop`` acts on whoever pressed, so it carries no user id.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from enum import StrEnum

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from jobfeed.links import Links
from jobfeed.matching.models import Availability
from jobfeed.models import Vacancy
from jobfeed.texts import Texts


class Act(StrEnum):
    new = "new"  # offer an availability from a saved search (asks for consent)
    ok = "ok"  # consent given: keep it
    no = "no"
    delete = "del"
    stop = "stop"  # stop every alert of the presser
    pause = "off"  # stop the alerts of one availability
    resume = "on"  # start them again
    from_resume = "cv"  # offer an availability from the presser's résumé


class AlertAction(CallbackData, prefix="al"):
    a: Act
    v: str = ""


def label(texts: Texts, name: str, value: object = None) -> str:
    return html.unescape(texts.render("alerts.button", name=name, value=value))


def notify_me(texts: Texts, token: str) -> InlineKeyboardButton:
    """有新岗位通知我, under a search answer in private chat."""
    data = AlertAction(a=Act.new, v=token).pack()
    return InlineKeyboardButton(text=label(texts, "notify_me"), callback_data=data)


async def notify_me_link(links: Links, texts: Texts, token: str) -> InlineKeyboardButton:
    """有新岗位通知我, under a group answer: it opens the private chat."""
    url = await links.alert_link(token)
    return InlineKeyboardButton(text=label(texts, "notify_me"), url=url)


def confirm(texts: Texts, token: str) -> InlineKeyboardMarkup:
    ok = AlertAction(a=Act.ok, v=token).pack()
    no = AlertAction(a=Act.no).pack()
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=label(texts, "agree"), callback_data=ok),
                InlineKeyboardButton(text=label(texts, "cancel"), callback_data=no),
            ]
        ]
    )


def listing(
    texts: Texts, availabilities: Sequence[Availability], *, has_resume: bool = False
) -> InlineKeyboardMarkup | None:
    """Per availability: delete, and stop or restart its alerts; then stop all, and an
    availability from the résumé when there is one."""
    rows = [
        [
            InlineKeyboardButton(
                text=label(texts, "delete", n),
                callback_data=AlertAction(a=Act.delete, v=a.id).pack(),
            ),
            InlineKeyboardButton(
                text=label(texts, "pause" if a.alerts else "resume", n),
                callback_data=AlertAction(a=Act.pause if a.alerts else Act.resume, v=a.id).pack(),
            ),
        ]
        for n, a in enumerate(availabilities, 1)
    ]
    if any(a.alerts for a in availabilities):
        rows.append([stop_button(texts)])
    if has_resume:
        data = AlertAction(a=Act.from_resume).pack()
        rows.append([InlineKeyboardButton(text=label(texts, "from_resume"), callback_data=data)])
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def stop_button(texts: Texts) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=label(texts, "stop"), callback_data=AlertAction(a=Act.stop).pack()
    )


async def alert_markup(
    links: Links, texts: Texts, vacancies: Sequence[Vacancy]
) -> InlineKeyboardMarkup:
    """Apply buttons (numbered when there are several) and the stop button."""
    several = len(vacancies) > 1
    apply = [
        InlineKeyboardButton(
            text=label(texts, "apply", n if several else None),
            url=await links.apply_link(v.id),
        )
        for n, v in enumerate(vacancies, 1)
    ]
    rows = [apply[i : i + 5] for i in range(0, len(apply), 5)]
    return InlineKeyboardMarkup(inline_keyboard=[*rows, [stop_button(texts)]])
