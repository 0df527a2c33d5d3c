"""The post as the groups will see it, and the buttons under the preview."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.staff_callbacks import WizardAction, WizardButton
from jobfeed.broadcast.models import Post
from jobfeed.models import Vacancy, VacancyStatus
from jobfeed.texts import Texts


def post_for_groups(vacancy: Vacancy) -> Post:
    """The post exactly as the broadcast engine will put it into the groups, that is
    once the vacancy is approved (a pending one would render as not open)."""
    approved = vacancy.model_copy(update={"status": VacancyStatus.active})
    return Post.of([approved])


def confirm_markup(texts: Texts) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _wizard_button(texts, "submit", WizardAction.submit),
                _wizard_button(texts, "restart", WizardAction.restart),
            ],
            [_wizard_button(texts, "cancel", WizardAction.cancel)],
        ]
    )


def _wizard_button(texts: Texts, name: str, action: WizardAction) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=texts.render(f"posting.button_{name}"),
        callback_data=WizardButton(action=action).pack(),
    )
