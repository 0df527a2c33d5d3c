"""The ``/post`` wizard: a recruiter describes a vacancy step by step and submits it.

The steps and the reading of each answer are the domain's (``jobfeed.posting``); this
package is their Telegram view. Each step has a handler for a valid answer and a fallback
for anything else (the step is asked again with the reason); ``/cancel`` works in every
step. The draft lives in the FSM data on Redis, so a conversation survives a restart. The
preview is the broadcast engine's own rendering, so the recruiter sees what the groups will.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter

from handlers.filters import InPrivate, IsRecruiter, Magic, NotCommand
from handlers.posting import entry, steps, submitting
from handlers.posting.states import STEP_STATES, PostingVacancy
from handlers.private import private_only
from handlers.staff_callbacks import WizardButton
from jobfeed.posting import PostingStep


def router() -> Router:
    r = Router(name="posting")
    r.message.register(entry.cancel, Command("cancel"), StateFilter(PostingVacancy))
    r.message.register(entry.start, Command("post"), InPrivate(), IsRecruiter(or_admin=True))
    r.message.register(private_only("posting.private_only"), Command("post"), ~InPrivate())
    r.message.register(entry.recruiters_only, Command("post"))
    # Commands are left to their own handlers, so /myjobs works in the middle of a post.
    for step, state in STEP_STATES.items():
        if step is PostingStep.confirm:
            continue
        handler = steps.got_target if step is PostingStep.target else steps.got_answer
        r.message.register(handler, StateFilter(state), Magic(F.text), NotCommand(), InPrivate())
    confirming = StateFilter(PostingVacancy.confirming)
    r.message.register(entry.use_buttons, confirming, NotCommand(), InPrivate())
    r.message.register(entry.text_only, StateFilter(PostingVacancy), NotCommand(), InPrivate())
    r.callback_query.register(
        submitting.wizard_button, WizardButton.filter(), confirming, InPrivate()
    )
    return r
