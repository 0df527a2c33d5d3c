"""How each step of the résumé flow looks in Telegram: the FSM state it puts the chat in,
the message and its keyboard. Every handler of the conversation ends here with the step
``jobfeed.applications.flow.ResumeFlow`` returned."""

from __future__ import annotations

from aiogram.types import ReplyKeyboardRemove

from handlers.resume.conversation import Conversation
from handlers.resume.keyboards import (
    consent_keyboard,
    returning_keyboard,
    review_keyboard,
    screening_keyboard,
    step_keyboard,
)
from handlers.resume.states import FIELD_STATES, Applying
from handlers.resume.turn import Turn
from jobfeed.applications.flow import Outcome, Stage, Step


async def show(turn: Turn, conversation: Conversation, step: Step) -> None:
    if step.stage is Stage.closed:
        await _close(turn, step)
        return
    texts = turn.texts
    if step.stage is Stage.consent:
        await turn.state.set_state(Applying.reading_consent)
        await turn.save(conversation)
        text = turn.render(
            "consent",
            employer=conversation.employer,
            vacancy_title=conversation.vacancy_title,
            retention_days=turn.retention_days,
        )
        await turn.say(text, consent_keyboard(texts, conversation.token))
    elif step.stage is Stage.returning:
        await turn.state.set_state(Applying.choosing_resume)
        await turn.save(conversation)
        text = turn.render(
            "returning",
            resume=step.resume,
            vacancy_title=conversation.vacancy_title,
            employer=conversation.employer,
            retention_days=turn.retention_days,
        )
        applying = conversation.vacancy_id is not None
        await turn.say(text, returning_keyboard(texts, applying, conversation.token))
    elif step.stage is Stage.field:
        assert step.field is not None
        await turn.state.set_state(FIELD_STATES[step.field])
        await turn.save(conversation)
        text = turn.render("ask", field=step.field, vacancy_title=conversation.vacancy_title)
        await turn.say(_noted(turn, step, text), step_keyboard(texts, step.field, conversation))
    elif step.stage is Stage.review:
        if step.busy:
            await turn.say(turn.render("busy"))
        await turn.state.set_state(Applying.reviewing)
        await turn.save(conversation)
        text = turn.render(
            "review",
            draft=conversation.draft,
            vacancy_title=conversation.vacancy_title,
            employer=conversation.employer,
        )
        applying = conversation.vacancy_id is not None
        await turn.say(text, review_keyboard(texts, applying, conversation.token))
    else:
        assert step.question is not None
        await turn.state.set_state(Applying.answering_screening)
        await turn.save(conversation)
        text = turn.render(
            "screening_question", question=step.question, index=step.index + 1, total=step.total
        )
        await turn.say(_noted(turn, step, text), screening_keyboard(step.question))


def _noted(turn: Turn, step: Step, text: str) -> str:
    """The question after why the last answer was refused, if it was."""
    if not step.invalid:
        return text
    return f"{turn.render('invalid', reason=step.invalid)}\n\n{text}"


async def _close(turn: Turn, step: Step) -> None:
    outcome = step.outcome
    if outcome is Outcome.unavailable:  # before anything was asked: no keyboard to remove
        await turn.say(turn.render("vacancy_unavailable"))
    elif outcome is Outcome.already_applied:
        await turn.say(turn.render("already_applied", app=step.application))
    elif outcome is Outcome.submitted:
        # The applicant hears the number, the recruiter gets the card, and only then the
        # conversation ends: a replayed update finds the same application.
        await turn.say(turn.render("submitted", app=step.application), ReplyKeyboardRemove())
        assert step.application is not None
        await turn.notifier.deliver_card(step.application)
    elif outcome is Outcome.screened_out:
        text = turn.render("screened_out", vacancy_title=step.vacancy_title)
        await turn.say(text, ReplyKeyboardRemove())
    else:
        await turn.state.clear()
        await turn.say(_ending(turn, outcome), ReplyKeyboardRemove())
        return
    await turn.state.clear()


def _ending(turn: Turn, outcome: Outcome | None) -> str:
    if outcome is Outcome.declined:
        return turn.render("consent_declined")
    if outcome is Outcome.cancelled:
        return turn.render("cancelled")
    if outcome is Outcome.resume_saved:
        return turn.render("resume_saved", retention_days=turn.retention_days)
    return turn.render("vacancy_unavailable")  # Outcome.closed_meanwhile
