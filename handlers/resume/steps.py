"""The résumé fields, one state each: a handler per valid kind of answer and a fallback."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from aiogram import F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import StateFilter
from aiogram.types import Message
from aiohttp import ClientError

from handlers.filters import Magic, NotCommand
from handlers.resume.prompts import ask, ask_next, reask, show_consent, show_review
from handlers.resume.states import FIELD_STATES, STATE_FIELDS
from handlers.resume.turn import Turn
from jobfeed.applications.files import check_content, check_document, check_size
from jobfeed.applications.models import RESUME_FIELDS, Attachment, FileKind
from jobfeed.applications.validation import (
    BACK_WORDS,
    SKIP_WORDS,
    InvalidAnswer,
    is_word,
    parse_age,
    parse_experience,
    parse_long,
    parse_name,
    parse_phone,
    parse_short,
)
from jobfeed.models import utcnow

log = logging.getLogger(__name__)

Parser = Callable[[str], dict[str, Any]]


def _age(text: str) -> dict[str, Any]:
    age, birth_year = parse_age(text, utcnow().date())
    return {"age": age, "birth_year": birth_year}


def _skip_file(text: str) -> dict[str, Any]:
    if not is_word(text, SKIP_WORDS):
        raise InvalidAnswer("file_expected")
    return {"attachment": None}


PARSERS: dict[str, Parser] = {
    "name": lambda t: {"name": parse_name(t)},
    "phone": lambda t: {"phone": parse_phone(t), "phone_shared": False},
    "age": _age,
    "city": lambda t: {"city": parse_short(t)},
    "desired_job": lambda t: {"desired_job": parse_short(t)},
    "desired_place": lambda t: {"desired_place": parse_short(t)},
    "skills": lambda t: {"skills": parse_long(t)},
    "experience_years": lambda t: {"experience_years": parse_experience(t)},
    "expected_pay": lambda t: {"expected_pay": parse_short(t)},
    "start_date": lambda t: {"start_date": parse_short(t)},
    "attachment": _skip_file,
}


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
    field = STATE_FIELDS[raw_state]
    conversation = await turn.load()
    text = message.text or ""
    if is_word(text, BACK_WORDS):
        await go_back(turn, field)
        return
    try:
        values = PARSERS[field](text)
    except InvalidAnswer as exc:
        await reask(turn, field, conversation, exc.reason)
        return
    conversation.draft.update(values)
    await ask_next(turn, conversation, field)


async def shared_contact(message: Message, turn: Turn) -> None:
    conversation = await turn.load()
    contact = message.contact
    assert contact is not None  # guaranteed by the filter
    # Someone else's contact (picked from the address book) has their id, or none.
    if contact.user_id != turn.user_id:
        log.info("User %s shared a contact that is not their own", turn.user_id)
        await reask(turn, "phone", conversation, "not_own_contact")
        return
    try:
        phone = parse_phone(contact.phone_number)
    except InvalidAnswer as exc:
        await reask(turn, "phone", conversation, exc.reason)
        return
    conversation.draft.update({"phone": phone, "phone_shared": True})
    await ask_next(turn, conversation, "phone")


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
        await reask(turn, "attachment", conversation, exc.reason)
        return
    conversation.draft["attachment"] = Attachment(
        file_id=document.file_id,
        file_unique_id=document.file_unique_id,
        file_name=(document.file_name or "")[:255],
        mime_type=document.mime_type or "",
        size=len(data),
        kind=kind,
    ).model_dump(mode="json")
    await ask_next(turn, conversation, "attachment")


async def sent_photo(message: Message, turn: Turn) -> None:
    conversation = await turn.load()
    assert message.photo  # guaranteed by the filter
    largest = message.photo[-1]
    try:
        check_size(largest.file_size)
    except InvalidAnswer as exc:
        await reask(turn, "attachment", conversation, exc.reason)
        return
    # Telegram re-encodes a photo itself (always JPEG): no client claim to distrust.
    conversation.draft["attachment"] = Attachment(
        file_id=largest.file_id,
        file_unique_id=largest.file_unique_id,
        mime_type="image/jpeg",
        size=largest.file_size or 0,
        kind=FileKind.jpeg,
        as_photo=True,
    ).model_dump(mode="json")
    await ask_next(turn, conversation, "attachment")


async def wrong_kind(message: Message, turn: Turn, raw_state: str | None) -> None:
    """A sticker, voice note, location... where an answer of another kind is expected."""
    field = STATE_FIELDS[raw_state]
    reason = "file_expected" if field == "attachment" else "not_text"
    await reask(turn, field, await turn.load(), reason)


async def _download(turn: Turn, file_id: str) -> bytes:
    try:
        buffer = await turn.bot.download(file_id, timeout=60)
    except (TimeoutError, TelegramAPIError, ClientError) as exc:
        log.warning("Downloading a résumé file failed: %s", type(exc).__name__)
        raise InvalidAnswer("file_download") from None
    if buffer is None:
        raise InvalidAnswer("file_download")
    return buffer.read()


async def go_back(turn: Turn, field: str) -> None:
    conversation = await turn.load()
    if conversation.editing:
        await show_review(turn, conversation)
        return
    index = RESUME_FIELDS.index(field)
    if index == 0:
        await show_consent(turn, conversation)
    else:
        await ask(turn, RESUME_FIELDS[index - 1], conversation)
