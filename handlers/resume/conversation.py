"""What the conversation remembers between steps, kept as the FSM data in Redis."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from aiogram.fsm.context import FSMContext
from pydantic import BaseModel, Field, ValidationError

from jobfeed.applications.models import RESUME_FIELDS, Consent, Resume, ScreeningAnswer
from jobfeed.models import Vacancy, utcnow


def new_token() -> str:
    return secrets.token_urlsafe(6)


class Conversation(BaseModel):
    # Carried by every inline button of this conversation: a button of an earlier one
    # (another vacancy, another employer) must not act on this one.
    token: str = ""
    vacancy_id: str | None = None
    vacancy_title: str = ""
    employer: str = ""
    vacancy_city: str = ""
    draft: dict[str, Any] = Field(default_factory=dict)
    editing: bool = False  # came from the summary to change one field
    consent_at: datetime | None = None
    answers: list[ScreeningAnswer] = Field(default_factory=list)

    @classmethod
    def for_vacancy(cls, vacancy: Vacancy | None) -> Conversation:
        if vacancy is None:
            return cls(token=new_token())
        return cls(
            token=new_token(),
            vacancy_id=vacancy.id,
            vacancy_title=vacancy.title,
            employer=vacancy.employer,
            vacancy_city=vacancy.city,
        )

    def missing_field(self) -> str | None:
        return next((f for f in RESUME_FIELDS if f not in self.draft), None)

    def resume(self, user_id: int) -> Resume | None:
        try:
            return Resume.model_validate(
                {**self.draft, "user_id": user_id, "updated_at": utcnow()}
            )
        except ValidationError:
            return None

    def consent(self, retention_days: int) -> Consent:
        return Consent(
            employer=self.employer or None,
            vacancy_id=self.vacancy_id,
            retention_days=retention_days,
            given_at=self.consent_at or utcnow(),
        )


def draft_of(resume: Resume) -> dict[str, Any]:
    return resume.model_dump(mode="json", exclude={"user_id", "updated_at"})


async def load(state: FSMContext) -> Conversation:
    return Conversation.model_validate(await state.get_data())


async def save(state: FSMContext, conversation: Conversation) -> None:
    await state.set_data(conversation.model_dump(mode="json"))
