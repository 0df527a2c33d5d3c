"""The résumé fields, one state each: a handler per valid kind of answer and a fallback.

Typed answers go to the flow as they are; a shared contact and a file are Telegram's, so
they are checked here and handed over as values."""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import StateFilter
from aiogram.types import Message
from aiohttp import ClientError

from handlers.filters import Magic, NotCommand
from handlers.identity import CHANNEL
from handlers.resume.prompts import show
from handlers.resume.states import FIELD_STATES, STATE_FIELDS
from handlers.resume.turn import Turn
from jobfeed.applications.files import check_content, check_document, check_size
from jobfeed.applications.models import Attachment, FileKind
from jobfeed.applications.validation import InvalidAnswer, parse_phone

log = logging.getLogger(__name__)


def register(r: Router) -> None:
    for field, state in FIELD_STATES.items():
        step = StateFilter(state)
        if field == "phone":
            r.message.register(shared_contact, step, Magic(F.contact))
        if field == "attachment":
            r.message.register(sent_document, step, Magic(F.document))
            r.message.register(sent_photo, step, Magic(F.photo))
        # Commands pass through, so other features' commands still work mid-step.
        r.message.register(typed_answer, step, Magic(F.text), NotCommand())
        r.message.register(wrong_kind, step, NotCommand())


async def typed_answer(message: Message, turn: Turn, raw_state: str | None) -> None:
    conversation = await turn.load()
    step = turn.flow.answer(conversation, STATE_FIELDS[raw_state], message.text or "")
    await show(turn, conversation, step)


async def shared_contact(message: Message, turn: Turn) -> None:
    conversation = await turn.load()
    contact = message.contact
    assert contact is not None  # guaranteed by the filter
    # Someone else's contact (picked from the address book) has their id, or none.
    if contact.user_id != turn.user_id:
        log.info("User %s shared a contact that is not their own", turn.user_id)
        await show(turn, conversation, turn.flow.ask(conversation, "phone", "not_own_contact"))
        return
    try:
        phone = parse_phone(contact.phone_number)
    except InvalidAnswer as exc:
        await show(turn, conversation, turn.flow.ask(conversation, "phone", exc.reason))
        return
    step = turn.flow.accept(conversation, "phone", {"phone": phone, "phone_shared": True})
    await show(turn, conversation, step)


async def sent_document(message: Message, turn: Turn) -> None:
    conversation = await turn.load()
    document = message.document
    assert document is not None  # guaranteed by the filter
    try:
        kind = check_document(document.file_name, document.mime_type, document.file_size)
        data = await _download(turn, document.file_id)
        check_content(kind, data)
    except InvalidAnswer as exc:
        log.info("Résumé file refused: %s", exc.reason)
        await show(turn, conversation, turn.flow.ask(conversation, "attachment", exc.reason))
        return
    attachment = Attachment(
        channel=CHANNEL,
        ref=document.file_id,
        unique_ref=document.file_unique_id,
        file_name=(document.file_name or "")[:255],
        mime_type=document.mime_type or "",
        size=len(data),
        kind=kind,
    )
    await show(turn, conversation, turn.flow.attach(conversation, attachment))


async def sent_photo(message: Message, turn: Turn) -> None:
    conversation = await turn.load()
    assert message.photo  # guaranteed by the filter
    largest = message.photo[-1]
    try:
        check_size(largest.file_size)
    except InvalidAnswer as exc:
        await show(turn, conversation, turn.flow.ask(conversation, "attachment", exc.reason))
        return
    # Telegram re-encodes a photo itself (always JPEG): no client claim to distrust.
    attachment = Attachment(
        channel=CHANNEL,
        ref=largest.file_id,
        unique_ref=largest.file_unique_id,
        mime_type="image/jpeg",
        size=largest.file_size or 0,
        kind=FileKind.jpeg,
        as_photo=True,
    )
    await show(turn, conversation, turn.flow.attach(conversation, attachment))


async def wrong_kind(message: Message, turn: Turn, raw_state: str | None) -> None:
    """A sticker, voice note, location... where an answer of another kind is expected."""
    field = STATE_FIELDS[raw_state]
    reason = "file_expected" if field == "attachment" else "not_text"
    conversation = await turn.load()
    await show(turn, conversation, turn.flow.ask(conversation, field, reason))


async def _download(turn: Turn, file_id: str) -> bytes:
    try:
        buffer = await turn.bot.download(file_id, timeout=60)
    except (TimeoutError, TelegramAPIError, ClientError) as exc:
        log.warning("Downloading a résumé file failed: %s", type(exc).__name__)
        raise InvalidAnswer("file_download") from None
    if buffer is None:
        raise InvalidAnswer("file_download")
    return buffer.read()
