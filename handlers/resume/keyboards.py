"""Buttons of the conversation: reply keyboards for typing less, inline ones for choices."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from handlers.resume.conversation import Conversation
from jobfeed.applications.models import RESUME_FIELDS
from jobfeed.models import ScreeningQuestion
from jobfeed.texts import Texts

# Inline actions; anything else in ``rs:`` data is refused.
ACTIONS = frozenset(
    {"agree", "decline", "reuse", "update", "edit", "confirm", "cancel", "forget_yes", "forget_no"}
)


class ResumeAction(CallbackData, prefix="rs"):
    action: str
    field: str = ""
    token: str = ""  # the conversation's (Conversation.token); packed data stays ≤ 64 bytes

    def is_valid(self) -> bool:
        if self.action not in ACTIONS:
            return False
        return self.field in RESUME_FIELDS if self.action == "edit" else self.field == ""

    def belongs_to(self, conversation: Conversation) -> bool:
        return bool(self.token) and self.token == conversation.token


def _label(texts: Texts, name: str) -> str:
    return texts.render("resume.button", name=name)


def _inline(texts: Texts, *rows: tuple[tuple[str, ResumeAction], ...]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=_label(texts, name), callback_data=data.pack())
                for name, data in row
            ]
            for row in rows
        ]
    )


def consent_keyboard(texts: Texts, token: str) -> InlineKeyboardMarkup:
    return _inline(
        texts,
        (
            ("agree", ResumeAction(action="agree", token=token)),
            ("decline", ResumeAction(action="decline", token=token)),
        ),
    )


def returning_keyboard(texts: Texts, applying: bool, token: str) -> InlineKeyboardMarkup:
    cancel = (("cancel", ResumeAction(action="cancel", token=token)),)
    update = ResumeAction(action="update", token=token)
    if applying:
        return _inline(
            texts,
            (("reuse", ResumeAction(action="reuse", token=token)),),
            (("update", update),),
            cancel,
        )
    return _inline(texts, (("edit", update),), cancel)


def forget_keyboard(texts: Texts) -> InlineKeyboardMarkup:
    return _inline(
        texts,
        (("forget_yes", ResumeAction(action="forget_yes")),),
        (("forget_no", ResumeAction(action="forget_no")),),
    )


def review_keyboard(texts: Texts, applying: bool, token: str) -> InlineKeyboardMarkup:
    edits = [
        InlineKeyboardButton(
            text="✏️ " + texts.render("resume.field_label", field=field),
            callback_data=ResumeAction(action="edit", field=field, token=token).pack(),
        )
        for field in RESUME_FIELDS
    ]
    rows = [edits[i : i + 2] for i in range(0, len(edits), 2)]
    confirm = InlineKeyboardButton(
        text=_label(texts, "confirm" if applying else "save"),
        callback_data=ResumeAction(action="confirm", token=token).pack(),
    )
    cancel = InlineKeyboardButton(
        text=_label(texts, "cancel"),
        callback_data=ResumeAction(action="cancel", token=token).pack(),
    )
    return InlineKeyboardMarkup(inline_keyboard=[*rows, [confirm], [cancel]])


def _reply(rows: list[list[KeyboardButton]]) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(keyboard=rows, resize_keyboard=True, one_time_keyboard=True)


def step_keyboard(texts: Texts, field: str, conversation: Conversation) -> ReplyKeyboardMarkup:
    """Suggested answers for a step, plus "back" (except on the first step)."""

    def label(name: str) -> KeyboardButton:
        return KeyboardButton(text=_label(texts, name))

    rows: list[list[KeyboardButton]] = []
    if field == "phone":
        rows.append([KeyboardButton(text=_label(texts, "share_phone"), request_contact=True)])
    elif field == "desired_job" and conversation.vacancy_title:
        rows.append([KeyboardButton(text=conversation.vacancy_title)])
    elif field == "desired_place":
        city = (
            [KeyboardButton(text=conversation.vacancy_city)] if conversation.vacancy_city else []
        )
        rows.append([*city, label("anywhere")])
    elif field == "skills":
        rows.append([label("no_skills")])
    elif field == "experience_years":
        rows.append([label("no_experience"), *(KeyboardButton(text=f"{n}年") for n in (1, 3, 5))])
    elif field == "expected_pay":
        rows.append([label("pay_negotiable")])
    elif field == "start_date":
        rows.append([label("start_now"), label("start_week"), label("start_month")])
    elif field == "attachment":
        rows.append([label("skip")])
    rows.append([label("back")])
    return _reply(rows)


def screening_keyboard(question: ScreeningQuestion) -> ReplyKeyboardMarkup:
    return _reply([[KeyboardButton(text=choice) for choice in question.choices]])
