"""Submitting the previewed vacancy (or restarting, or cancelling), and asking the admins."""

from __future__ import annotations

import logging

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery

from handlers.answering import answer_press
from handlers.posting.preview import post_for_groups
from handlers.posting.states import STEP_STATES
from handlers.posting.steps import load_draft
from handlers.staff_callbacks import WizardAction, WizardButton, drop_buttons
from jobfeed.approvals import Approvals
from jobfeed.groups import GroupRepository
from jobfeed.models import VacancyStatus
from jobfeed.notify import Notifier, VacancySubmission
from jobfeed.posting import PostingStep
from jobfeed.texts import Texts

log = logging.getLogger(__name__)


async def wizard_button(
    query: CallbackQuery,
    *,
    callback_data: WizardButton,
    state: FSMContext,
    texts: Texts,
    groups: GroupRepository,
    approvals: Approvals,
    notifier: Notifier,
) -> None:
    message = await drop_buttons(query)
    if message is None:
        await answer_press(query, texts.render("posting.expired"), show_alert=True)
        return
    if callback_data.action is WizardAction.cancel:
        await state.clear()
        await answer_press(query)
        await message.answer(texts.render("posting.cancelled"))
        return
    if callback_data.action is WizardAction.restart:
        data = await state.get_data()
        await state.set_data(
            {
                "draft": {},
                "default_employer": data.get("default_employer"),
                "vacancy_id": data.get("vacancy_id"),
            }
        )
        await state.set_state(STEP_STATES[PostingStep.job_title])
        await answer_press(query)
        await message.answer(
            texts.render("posting.restart") + "\n" + texts.render("posting.ask_title")
        )
        return
    draft = await load_draft(state)
    vacancy_id = (await state.get_data()).get("vacancy_id")
    # Stored under the id the preview showed, so a replay after a crash files the same
    # vacancy again rather than a second one; then a second press finds no draft.
    vacancy, submission = await approvals.submit(draft, query.from_user.id, vacancy_id)
    await state.clear()
    matched = len(await groups.select(submission.target))
    await answer_press(query)
    await message.answer(texts.render("posting.submitted", vacancy=vacancy, groups=matched))
    if vacancy.status is VacancyStatus.held:
        return  # nothing for the admins to approve until it is fixed or released
    post = post_for_groups(vacancy)
    user = query.from_user
    await notifier.ask_admins(
        VacancySubmission(vacancy, user.id, user.full_name, submission.target, matched, post)
    )
