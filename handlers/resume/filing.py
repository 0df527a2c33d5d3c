"""Screening questions, answered by typing or with the reply keyboard's choices.

Filing itself is the flow's (``ResumeFlow.file``); telling the applicant and delivering the
card are ``handlers.resume.prompts``'."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import Message

from handlers.filters import Magic, NotCommand
from handlers.resume.prompts import show
from handlers.resume.states import Applying
from handlers.resume.turn import Turn


def register(r: Router) -> None:
    answering = StateFilter(Applying.answering_screening)
    r.message.register(answered, answering, Magic(F.text), NotCommand())
    r.message.register(not_a_choice, answering, NotCommand())


async def answered(message: Message, turn: Turn) -> None:
    conversation = await turn.load()
    step = await turn.flow.screening(conversation, turn.user_id, message.text or "")
    await show(turn, conversation, step)


async def not_a_choice(message: Message, turn: Turn) -> None:
    conversation = await turn.load()
    await show(turn, conversation, await turn.flow.not_a_choice(conversation, turn.user_id))
