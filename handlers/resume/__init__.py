"""The résumé conversation: consent, one step per field, summary, screening, filing."""

from __future__ import annotations

from aiogram import Router

from handlers.resume import entry, filing, privacy, review, steps
from handlers.resume.turn import TurnMiddleware


def router() -> Router:
    r = Router(name="resume")
    r.message.middleware(TurnMiddleware())
    r.callback_query.middleware(TurnMiddleware())
    # Commands first: they work in every step of the conversation.
    privacy.register(r)
    entry.register(r)
    review.register(r)
    filing.register(r)
    steps.register(r)
    return r
