"""Making, listing and stopping availabilities. Making one takes consent: the seeker sees
what will be kept, for how long, and how to delete it, and agrees with a button."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, TelegramObject

from handlers.alerts import keyboards
from handlers.alerts.keyboards import AlertAction
from handlers.answering import answer_press
from handlers.deeplinks import ALERT_PREFIX
from jobfeed.applications.repository import ApplicationRepository
from jobfeed.matching.models import (
    Availability,
    AvailabilityConsent,
    from_query,
    resume_text,
    seeking_text,
    start_date,
)
from jobfeed.matching.repository import AvailabilityRepository
from jobfeed.models import utcnow
from jobfeed.places import Places
from jobfeed.search.saved import MAX_TEXT, TOKEN, SavedSearch
from jobfeed.search.service import SearchService
from jobfeed.texts import Texts

log = logging.getLogger(__name__)

SUBSCRIBE_WORD = "订阅"


@dataclass(frozen=True, slots=True)
class Desk:
    """What the handlers work with (``DeskMiddleware`` makes it once one has matched)."""

    texts: Texts
    service: SearchService
    places: Places
    availabilities: AvailabilityRepository
    applications: ApplicationRepository  # the résumé an availability can come from


class DeskMiddleware(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        data["desk"] = Desk(
            data["texts"],
            data["search_service"],
            data["places"],
            data["availabilities"],
            data["applications"],
        )
        return await handler(event, data)


async def subscribe_command(message: Message, command: CommandObject, desk: Desk) -> None:
    await _subscribe(message, command.args or "", desk)


async def subscribe_word(message: Message, desk: Desk) -> None:
    text = (message.text or "").strip().removeprefix(SUBSCRIBE_WORD)
    await _subscribe(message, text, desk)


async def _subscribe(message: Message, text: str, desk: Desk) -> None:
    """From the words after the command, else from the query the person last asked."""
    if message.from_user is None:
        return
    text = text.strip()[:MAX_TEXT]
    if text:
        token = await desk.service.save(SavedSearch(text=text))
    else:
        last = await desk.service.last(message.from_user.id)
        # No search asked yet: the wish the résumé states, if there is one.
        found = last[0] if last else await _resume_token(message.from_user.id, desk)
        if found is None:
            await message.answer(desk.texts.render("alerts.usage"))
            return
        token = found
    await _offer(message, token, message.from_user.id, desk)


async def start_link(message: Message, command: CommandObject, desk: Desk) -> None:
    """``/start alert_<token>``: the 有新岗位通知我 button under a group answer."""
    token = (command.args or "").removeprefix(ALERT_PREFIX)
    if message.from_user is None or not TOKEN.fullmatch(token):
        await message.answer(desk.texts.render("alerts.expired"))
        return
    await _offer(message, token, message.from_user.id, desk)


async def offer_pressed(query: CallbackQuery, callback_data: AlertAction, desk: Desk) -> None:
    """有新岗位通知我 under a private search answer: asks for consent in a new message."""
    if not isinstance(query.message, Message):
        await answer_press(query, desk.texts.render("alerts.expired"), show_alert=True)
        return
    await answer_press(query)
    await _offer(query.message, callback_data.v, query.from_user.id, desk)


async def _offer(message: Message, token: str, user: int, desk: Desk) -> None:
    texts = desk.texts
    availability = await _availability(token, user, desk)
    if availability is None:
        await message.answer(texts.render("alerts.nothing_to_subscribe"))
        return
    days = desk.availabilities.retention_days
    await message.answer(
        texts.render("alerts.confirm", a=availability, days=days),
        reply_markup=keyboards.confirm(texts, token),
    )


async def agreed(query: CallbackQuery, callback_data: AlertAction, desk: Desk) -> None:
    texts, user = desk.texts, query.from_user.id
    if not isinstance(query.message, Message) or query.message.chat.id != user:
        await answer_press(query, texts.render("alerts.expired"), show_alert=True)
        return
    availability = await _availability(callback_data.v, user, desk)
    if availability is None:
        await answer_press(query, texts.render("alerts.expired"), show_alert=True)
        return
    if not await desk.availabilities.save(availability):
        await answer_press(query, texts.render("alerts.too_many"), show_alert=True)
        return
    await answer_press(query)
    log.info("Availability %s kept (alerts on)", availability.id)
    await _edit(query.message, texts.render("alerts.subscribed", a=availability))


async def declined(query: CallbackQuery, desk: Desk) -> None:
    await answer_press(query)
    if isinstance(query.message, Message):
        await _edit(query.message, desk.texts.render("alerts.declined"))


async def list_alerts(message: Message, command: CommandObject, desk: Desk) -> None:
    """``/alerts`` lists; ``/alerts 1 电焊工 通辽 9000以上`` edits the first."""
    if message.from_user is None:
        return
    user, texts = message.from_user.id, desk.texts
    if command.args:
        await _edit_wish(message, user, command.args, desk)
        return
    mine = await desk.availabilities.of_person(user)
    await message.answer(
        texts.render("alerts.listing", items=mine), reply_markup=await _listing(user, mine, desk)
    )


async def _listing(user: int, mine: list[Availability], desk: Desk) -> InlineKeyboardMarkup | None:
    has_resume = await desk.applications.get_resume(user) is not None
    return keyboards.listing(desk.texts, mine, has_resume=has_resume)


async def _edit_wish(message: Message, user: int, args: str, desk: Desk) -> None:
    """Replace the trades, places and pay of one availability, kept under its consent."""
    number, _, text = args.strip().partition(" ")
    mine = await desk.availabilities.of_person(user)
    today = utcnow().astimezone(desk.availabilities.zone).date()
    start, text = start_date(text, today)  # first: 2028-01-07 is no pay of 2028
    text = seeking_text(text)[:MAX_TEXT]
    if not number.isascii() or not number.isdigit() or not 1 <= int(number) <= len(mine):
        await message.answer(desk.texts.render("alerts.edit_usage"))
        return
    old = mine[int(number) - 1]
    made = from_query(
        desk.service.parse(text),
        person=user,
        places=desk.places,
        city=None,
        min_pay=None,
        consent=old.consent,
        today=today,
        start=start or old.available_from,
    )
    if made is None:
        await message.answer(desk.texts.render("alerts.edit_usage"))
        return
    changed = old.model_copy(
        update={
            "trades": made.trades,
            "places": made.places,
            "min_pay": made.min_pay,
            "available_from": made.available_from,
            "query": made.query,
        }
    )
    await desk.availabilities.save(changed)
    log.info("Availability %s edited", old.id)
    await message.answer(desk.texts.render("alerts.edited", a=changed))


async def toggle_pressed(query: CallbackQuery, callback_data: AlertAction, desk: Desk) -> None:
    """Stops or restarts one availability's alerts, the presser's own only."""
    texts, user = desk.texts, query.from_user.id
    found = await desk.availabilities.get(callback_data.v)
    if found is None or found.person != user:
        await answer_press(query, texts.render("alerts.expired"), show_alert=True)
        return
    on = callback_data.a is keyboards.Act.resume
    await desk.availabilities.save(found.model_copy(update={"alerts": on}))
    await answer_press(query, texts.render("alerts.resumed" if on else "alerts.paused"))
    if isinstance(query.message, Message):
        mine = await desk.availabilities.of_person(user)
        await _edit(
            query.message,
            texts.render("alerts.listing", items=mine),
            await _listing(user, mine, desk),
        )


async def from_resume_pressed(query: CallbackQuery, desk: Desk) -> None:
    """An availability from the presser's résumé: offered with the same consent."""
    token = await _resume_token(query.from_user.id, desk)
    if token is None or not isinstance(query.message, Message):
        await answer_press(query, desk.texts.render("alerts.no_resume"), show_alert=True)
        return
    await answer_press(query)
    await _offer(query.message, token, query.from_user.id, desk)


async def _resume_token(user: int, desk: Desk) -> str | None:
    resume = await desk.applications.get_resume(user)
    if resume is None:
        return None
    text = resume_text(resume.desired_job, resume.desired_place, resume.expected_pay)
    return await desk.service.save(SavedSearch(text=text[:MAX_TEXT]))


async def delete_pressed(query: CallbackQuery, callback_data: AlertAction, desk: Desk) -> None:
    """Deletes the presser's own availability only: the id alone deletes nobody else's."""
    texts, user = desk.texts, query.from_user.id
    deleted = await desk.availabilities.delete(user, callback_data.v)
    await answer_press(query, texts.render("alerts.deleted" if deleted else "alerts.expired"))
    if isinstance(query.message, Message):
        mine = await desk.availabilities.of_person(user)
        markup = await _listing(user, mine, desk)
        await _edit(query.message, texts.render("alerts.listing", items=mine), markup)


async def unsubscribe(message: Message, desk: Desk) -> None:
    if message.from_user is None:
        return
    count = await desk.availabilities.stop(message.from_user.id)
    await message.answer(desk.texts.render("alerts.stopped", count=count))


async def stop_pressed(query: CallbackQuery, desk: Desk) -> None:
    """Under every alert: stops every alert of whoever pressed, at once."""
    count = await desk.availabilities.stop(query.from_user.id)
    await answer_press(query, desk.texts.render("alerts.stopped_short"))
    if isinstance(query.message, Message):
        await query.message.answer(desk.texts.render("alerts.stopped", count=count))


async def _availability(token: str, user: int, desk: Desk) -> Availability | None:
    """The availability a saved search asks for; its id is the same for the same person
    and search, so pressing 同意 twice keeps one."""
    saved = await desk.service.saved(token) if TOKEN.fullmatch(token) else None
    if saved is None:
        return None
    availabilities = desk.availabilities
    today = utcnow().astimezone(availabilities.zone).date()
    start, text = start_date(saved.text, today)  # a 找活 card's 3月1日起
    made = from_query(
        desk.service.parse(text),
        person=user,
        places=desk.places,
        city=saved.city,
        min_pay=saved.min_pay,
        consent=AvailabilityConsent(retention_days=availabilities.retention_days),
        today=today,
        start=start,
    )
    if made is None:
        return None
    return made.model_copy(update={"id": kept_id(user, token)})


def kept_id(user: int, token: str) -> str:
    """The id of the availability a person keeps from a saved search (a 找活 card reads it)."""
    digest = hashlib.sha256(f"{user}:{token}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()[:12]


async def _edit(message: Message, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    with contextlib.suppress(TelegramBadRequest):  # unchanged, or too old to edit
        await message.edit_text(text, reply_markup=markup)
