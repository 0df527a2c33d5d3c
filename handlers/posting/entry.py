"""Into and out of the wizard: ``/post``, ``/cancel``, and the answers to misplaced input."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import Message, ReplyKeyboardRemove

from handlers.posting.states import PostingVacancy
from jobfeed.posting import VacancyDraft
from jobfeed.roles import Recruiter
from jobfeed.texts import Texts


async def start(
    message: Message, state: FSMContext, texts: Texts, recruiter: Recruiter | None
) -> None:
    await state.clear()
    await state.update_data(
        draft=VacancyDraft().model_dump(mode="json"),
        default_employer=recruiter.employer if recruiter else None,
    )
    await state.set_state(PostingVacancy.typing_title)
    await message.answer(texts.render("posting.ask_title"), reply_markup=ReplyKeyboardRemove())


async def cancel(message: Message, state: FSMContext, texts: Texts) -> None:
    await state.clear()
    await message.answer(texts.render("posting.cancelled"), reply_markup=ReplyKeyboardRemove())


async def recruiters_only(message: Message, texts: Texts) -> None:
    await message.answer(texts.render("posting.recruiters_only"))


async def text_only(message: Message, texts: Texts) -> None:
    await message.answer(texts.render("posting.text_only"))


async def use_buttons(message: Message, texts: Texts) -> None:
    await message.answer(texts.render("posting.use_buttons"))
