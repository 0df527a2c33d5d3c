"""The conversation (``jobfeed.applications.flow.Conversation``) kept as the FSM data in Redis."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext

from jobfeed.applications.flow import Conversation, draft_of

__all__ = ["Conversation", "draft_of", "load", "save"]


async def load(state: FSMContext) -> Conversation:
    return Conversation.model_validate(await state.get_data())


async def save(state: FSMContext, conversation: Conversation) -> None:
    await state.set_data(conversation.model_dump(mode="json"))
