"""Messages that move the conversation: consent, a step's question, the summary."""

from __future__ import annotations

from handlers.resume.conversation import Conversation
from handlers.resume.keyboards import consent_keyboard, review_keyboard, step_keyboard
from handlers.resume.states import FIELD_STATES, Applying
from handlers.resume.turn import Turn
from jobfeed.applications.models import RESUME_FIELDS


async def show_consent(turn: Turn, conversation: Conversation) -> None:
    await turn.state.set_state(Applying.reading_consent)
    await turn.save(conversation)
    text = turn.render(
        "consent",
        employer=conversation.employer,
        vacancy_title=conversation.vacancy_title,
        retention_days=turn.retention_days,
    )
    await turn.say(text, consent_keyboard(turn.texts, conversation.token))


async def ask(turn: Turn, field: str, conversation: Conversation, note: str = "") -> None:
    """Ask for ``field``, after ``note`` (e.g. why the last answer was refused)."""
    await turn.state.set_state(FIELD_STATES[field])
    await turn.save(conversation)
    text = turn.render("ask", field=field, vacancy_title=conversation.vacancy_title)
    if note:
        text = f"{note}\n\n{text}"
    await turn.say(text, step_keyboard(turn.texts, field, conversation))


async def reask(turn: Turn, field: str, conversation: Conversation, reason: str) -> None:
    await ask(turn, field, conversation, note=turn.render("invalid", reason=reason))


async def show_review(turn: Turn, conversation: Conversation) -> None:
    conversation.editing = False
    await turn.state.set_state(Applying.reviewing)
    await turn.save(conversation)
    text = turn.render(
        "review",
        draft=conversation.draft,
        vacancy_title=conversation.vacancy_title,
        employer=conversation.employer,
    )
    applying = conversation.vacancy_id is not None
    await turn.say(text, review_keyboard(turn.texts, applying, conversation.token))


async def ask_next(turn: Turn, conversation: Conversation, answered: str) -> None:
    """The step after ``answered`` (steps walk in order, also after "back"), or the
    summary when changing one field from it or after the last step."""
    index = RESUME_FIELDS.index(answered) + 1
    if conversation.editing or index == len(RESUME_FIELDS):
        await show_review(turn, conversation)
    else:
        await ask(turn, RESUME_FIELDS[index], conversation)
