"""Inline buttons of the conversation: consent, reuse or update, edit a field, confirm."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message

from handlers.answering import answer_press
from handlers.filters import Magic, NotCommand
from handlers.resume.conversation import Conversation
from handlers.resume.keyboards import ResumeAction
from handlers.resume.prompts import show
from handlers.resume.states import Applying
from handlers.resume.turn import Turn, drop_buttons
from jobfeed.texts import Texts


def register(r: Router) -> None:
    on = r.callback_query.register
    consenting = StateFilter(Applying.reading_consent)
    choosing = StateFilter(Applying.choosing_resume)
    reviewing = StateFilter(Applying.reviewing)
    on(agree, ResumeAction.filter(F.action == "agree"), consenting)
    on(decline, ResumeAction.filter(F.action == "decline"), consenting)
    on(reuse, ResumeAction.filter(F.action == "reuse"), choosing)
    on(update, ResumeAction.filter(F.action == "update"), choosing)
    on(edit, ResumeAction.filter(F.action == "edit"), reviewing)
    on(confirm, ResumeAction.filter(F.action == "confirm"), reviewing)
    on(cancel, ResumeAction.filter(F.action == "cancel"), StateFilter(Applying))
    on(stale, Magic(F.data.startswith("rs:")))
    waiting = StateFilter(Applying.reading_consent, Applying.choosing_resume, Applying.reviewing)
    r.message.register(use_buttons, waiting, NotCommand())


async def _accept(query: CallbackQuery, data: ResumeAction, turn: Turn) -> Conversation | None:
    """Answer the press; the conversation, or None (after saying so) for a button that is
    not valid here: one of an earlier conversation (perhaps for another employer) must not
    act on this one."""
    conversation = await turn.load() if turn.chat_id == turn.user_id else None
    if conversation is None or not data.is_valid() or not data.belongs_to(conversation):
        await answer_press(query, turn.render("expired"))
        await drop_buttons(query)
        return None
    await answer_press(query)
    await drop_buttons(query)
    return conversation


async def agree(query: CallbackQuery, callback_data: ResumeAction, turn: Turn) -> None:
    conversation = await _accept(query, callback_data, turn)
    if conversation is not None:
        await show(turn, conversation, turn.flow.agree(conversation))


async def decline(query: CallbackQuery, callback_data: ResumeAction, turn: Turn) -> None:
    conversation = await _accept(query, callback_data, turn)
    if conversation is not None:
        await show(turn, conversation, turn.flow.decline(conversation))


async def reuse(query: CallbackQuery, callback_data: ResumeAction, turn: Turn) -> None:
    """One tap: the stored résumé goes to this vacancy (the message stated the consent)."""
    conversation = await _accept(query, callback_data, turn)
    if conversation is not None:
        await show(turn, conversation, await turn.flow.reuse(conversation, turn.user_id))


async def update(query: CallbackQuery, callback_data: ResumeAction, turn: Turn) -> None:
    conversation = await _accept(query, callback_data, turn)
    if conversation is not None:
        await show(turn, conversation, await turn.flow.update(conversation, turn.user_id))


async def edit(query: CallbackQuery, callback_data: ResumeAction, turn: Turn) -> None:
    conversation = await _accept(query, callback_data, turn)
    if conversation is not None:
        await show(turn, conversation, turn.flow.edit(conversation, callback_data.field))


async def confirm(query: CallbackQuery, callback_data: ResumeAction, turn: Turn) -> None:
    conversation = await _accept(query, callback_data, turn)
    if conversation is not None:
        await show(turn, conversation, await turn.flow.confirm(conversation, turn.user_id))


async def cancel(query: CallbackQuery, callback_data: ResumeAction, turn: Turn) -> None:
    conversation = await _accept(query, callback_data, turn)
    if conversation is not None:
        await show(turn, conversation, turn.flow.cancel(conversation))


async def stale(query: CallbackQuery, texts: Texts) -> None:
    """A button of a finished conversation, or data nobody of ours made."""
    await answer_press(query, texts.render("resume.expired"))


async def use_buttons(message: Message, turn: Turn) -> None:
    await turn.say(turn.render("invalid", reason="use_buttons"))
