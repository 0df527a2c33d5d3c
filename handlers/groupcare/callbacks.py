"""Inline-button data of group care: restore a moderation case, hand a question to a person,
answer one. Handlers check the presser and the state of what the button acts on."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from pydantic import Field


class RestoreCase(CallbackData, prefix="mr"):
    case: int = Field(gt=0)


class AskHuman(CallbackData, prefix="hq"):
    number: int = Field(gt=0)


class AnswerAsker(CallbackData, prefix="ha"):
    number: int = Field(gt=0)
