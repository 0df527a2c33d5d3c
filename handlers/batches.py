"""Departure batches in chat (点对点输送): ``/batch`` to create one or read its roster,
``/batch_add`` to put hired workers in it, and the workers' 确认 button.

Admins organise any batch; an approved broker only their own batches, with the
placements they brought. Only the placement's worker may confirm, once.
"""

from __future__ import annotations

import re
from datetime import datetime

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.answering import answer_press
from handlers.filters import InPrivate
from handlers.staff_callbacks import drop_buttons
from jobfeed.applications.masking import mask_phone
from jobfeed.brokers.repository import BrokerRepository
from jobfeed.placements.batches import Batch, BatchNotifier, BatchRepository
from jobfeed.texts import Texts

CREATE = re.compile(
    r"^(\d{4}-\d{2}-\d{2})\s+(\d{1,2}:\d{2})\s+(\S{1,40})\s+(\S{1,40})\s+(\S{1,40})$"
)
ADD = re.compile(r"^(\d{1,9})((?:\s+#?\d{1,12}){1,50})$")


class BatchConfirm(CallbackData, prefix="bc"):
    batch: int
    number: int


def router() -> Router:
    r = Router(name="batches")
    r.message.register(batch_command, Command("batch"), InPrivate())
    r.message.register(batch_add, Command("batch_add"), InPrivate())
    r.callback_query.register(confirm, BatchConfirm.filter())
    return r


def confirm_keyboard(texts: Texts, batch: Batch, number: int) -> InlineKeyboardMarkup:
    data = BatchConfirm(batch=batch.number, number=number).pack()
    button = InlineKeyboardButton(
        text=texts.render("placements.batch_confirm_button"), callback_data=data
    )
    return InlineKeyboardMarkup(inline_keyboard=[[button]])


async def _organiser(
    user_id: int, admin_ids: frozenset[int], brokers: BrokerRepository
) -> tuple[bool, str | None]:
    """(may organise, the broker code when a broker)."""
    if user_id in admin_ids:
        return True, None
    broker = await brokers.get(user_id)
    return (True, broker.code) if broker is not None and broker.approved else (False, None)


async def batch_command(
    message: Message,
    command: CommandObject,
    *,
    texts: Texts,
    batches: BatchRepository,
    brokers: BrokerRepository,
    admin_ids: frozenset[int],
) -> None:
    assert message.from_user is not None  # private chat
    allowed, code = await _organiser(message.from_user.id, admin_ids, brokers)
    if not allowed:
        await message.answer(texts.render("placements.batch_not_allowed"))
        return
    args = (command.args or "").strip()
    if args.isdigit() and len(args) <= 9:
        batch = await batches.get(int(args))
        if batch is None or (code is not None and batch.broker != code):
            await message.answer(texts.render("placements.not_found"))
            return
        await message.answer(await roster_text(texts, batches, batch))
        return
    found = CREATE.fullmatch(args)
    departs: datetime | None = None
    if found:
        try:
            departs = datetime.fromisoformat(
                f"{found[1]}T{int(found[2][:-3]):02d}:{found[2][-2:]}"
            )
        except ValueError:
            departs = None
    if found is None or departs is None:
        await message.answer(texts.render("placements.batch_usage"))
        return
    batch = await batches.create(
        departs.replace(tzinfo=batches.placements.zone),
        meeting_point=found[3],
        destination=found[4],
        vehicle=found[5],
        organiser=message.from_user.id,
        broker=code,
    )
    await message.answer(texts.render("placements.batch_created", b=batch))


async def batch_add(
    message: Message,
    command: CommandObject,
    *,
    texts: Texts,
    batches: BatchRepository,
    brokers: BrokerRepository,
    admin_ids: frozenset[int],
    batch_notifier: BatchNotifier,
) -> None:
    assert message.from_user is not None  # private chat
    allowed, code = await _organiser(message.from_user.id, admin_ids, brokers)
    found = ADD.fullmatch((command.args or "").strip())
    if not allowed:
        await message.answer(texts.render("placements.batch_not_allowed"))
        return
    if found is None:
        await message.answer(texts.render("placements.batch_usage"))
        return
    batch = await batches.get(int(found[1]))
    if batch is None or (code is not None and batch.broker != code):
        await message.answer(texts.render("placements.not_found"))
        return
    numbers = [int(n.lstrip("#")) for n in found[2].split()]
    chosen = [
        p
        for p in await batches.placements.get_many(numbers)
        if p is not None and p.worker is not None and (code is None or p.broker == code)
    ]
    if len(chosen) != len(set(numbers)):
        await message.answer(texts.render("placements.batch_not_allowed"))
        return
    for placement in await batches.add(batch, chosen):
        assert placement.worker is not None
        await batch_notifier.batch_details(placement.worker.person, batch, placement)
    await message.answer(await roster_text(texts, batches, batch))


async def roster_text(texts: Texts, batches: BatchRepository, batch: Batch) -> str:
    fresh = await batches.get(batch.number) or batch
    rows = []
    for p in await batches.placements.get_many(fresh.members):
        if p is None:
            continue
        name = p.worker.name if p.worker else "（已删除）"
        phone = mask_phone(p.worker.phone) if p.worker else ""
        rows.append((p.number, name, phone, p.number in fresh.confirmed))
    return texts.render("placements.batch_roster", b=fresh, rows=rows)


async def confirm(
    query: CallbackQuery, callback_data: BatchConfirm, *, texts: Texts, batches: BatchRepository
) -> None:
    batch = await batches.get(callback_data.batch)
    placement = await batches.placements.get(callback_data.number)
    if batch is None or placement is None or callback_data.number not in batch.members:
        await answer_press(query, texts.render("applications.button_invalid"))
        return
    if placement.worker is None or placement.worker.person != query.from_user.id:
        await answer_press(query, texts.render("placements.not_yours"), show_alert=True)
        return
    await batches.confirm(batch.number, placement.number, batches.placements.clock())
    await answer_press(query)
    message = await drop_buttons(query)
    if message is not None:
        await message.answer(texts.render("placements.batch_confirmed", b=batch))
