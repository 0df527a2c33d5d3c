"""The wizard's typed steps: the domain reads the answer (``jobfeed.posting.take``), this
module asks the next question, or the same one again with the reason."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import KeyboardButton, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove

from handlers.posting.preview import confirm_markup, post_for_groups
from handlers.posting.states import STATE_STEPS, STEP_STATES
from handlers.posts import post_keyboard, render_post
from jobfeed.compliance.checker import PostChecker
from jobfeed.groups import GroupRepository
from jobfeed.links import Links
from jobfeed.places import Places
from jobfeed.posting import InvalidInput, PostingStep, VacancyDraft, clean, next_step, take
from jobfeed.submissions import SubmissionRepository
from jobfeed.texts import Texts

Markup = ReplyKeyboardMarkup | ReplyKeyboardRemove | None


def _keyboard(*labels: str) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=label) for label in labels]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


async def load_draft(state: FSMContext) -> VacancyDraft:
    return VacancyDraft.model_validate((await state.get_data()).get("draft") or {})


async def _save(state: FSMContext, draft: VacancyDraft, next_state: State) -> None:
    await state.update_data(draft=draft.model_dump(mode="json"))
    await state.set_state(next_state)


async def _invalid(message: Message, texts: Texts, error: InvalidInput) -> None:
    await message.answer(texts.render("posting.invalid", reason=error.reason, detail=error.detail))


def question(
    texts: Texts, step: PostingStep, draft: VacancyDraft, default_employer: str | None
) -> tuple[str, Markup]:
    """How ``step`` is asked after the step before it was answered."""
    if step is PostingStep.employer:
        text = texts.render("posting.ask_employer", default=default_employer)
        if default_employer:
            return text, _keyboard(default_employer)
        return text, ReplyKeyboardRemove()
    text = texts.render(f"posting.ask_{step.value}")
    if step is PostingStep.pay:  # after the city: say which place it was read as
        place = texts.render("posting.place_ok", city=draft.city, province=draft.province)
        text = place + "\n" + text
    keyboard = _KEYBOARDS.get(step)
    markup = _keyboard(texts.render(f"posting.button_{keyboard}")) if keyboard else None
    return text, ReplyKeyboardRemove() if step in _NO_KEYBOARD else markup


# The reply keyboard under a step's question (the label's template name), or none left.
_KEYBOARDS = {
    PostingStep.benefits: "skip",
    PostingStep.target: "all",
}
_NO_KEYBOARD = frozenset({PostingStep.job_title, PostingStep.city, PostingStep.phone})


async def got_answer(
    message: Message, state: FSMContext, texts: Texts, places: Places, raw_state: str | None
) -> None:
    """A typed answer to any step up to the phone."""
    step = STATE_STEPS[raw_state]
    try:
        draft = take(await load_draft(state), step, message.text or "", places)
    except InvalidInput as error:
        await _invalid(message, texts, error)
        return
    following = next_step(step)
    await _save(state, draft, STEP_STATES[following])
    default = (await state.get_data()).get("default_employer")
    text, markup = question(texts, following, draft, default)
    await message.answer(text, reply_markup=markup)


async def got_target(
    message: Message,
    *,
    state: FSMContext,
    texts: Texts,
    places: Places,
    groups: GroupRepository,
    submissions: SubmissionRepository,
    links: Links,
    checker: PostChecker,
) -> None:
    """The groups to post in; then the preview, the checker's findings and the buttons."""
    text = clean(message.text or "")
    if text == texts.render("posting.button_all"):
        text = "全部"
    try:
        draft = take(await load_draft(state), PostingStep.target, text, places)
    except InvalidInput as error:
        await _invalid(message, texts, error)
        return
    assert draft.target is not None
    matched = len(await groups.select(draft.target))
    described = texts.render("posting.target", filter=draft.target)
    if matched == 0:
        await message.answer(texts.render("posting.no_groups", target=described))
        return
    user = message.from_user
    assert user is not None  # private chats always have a sender
    # The id is handed out now so that the preview's apply button is the real one.
    data = await state.get_data()
    vacancy_id = data.get("vacancy_id") or await submissions.next_vacancy_id()
    vacancy = checker.apply(draft.to_vacancy(vacancy_id, user.id))
    await state.update_data(vacancy_id=vacancy_id)
    await _save(state, draft, STEP_STATES[PostingStep.confirm])
    shown = await render_post(texts, post_for_groups(vacancy), links)
    await message.answer(shown.html, reply_markup=post_keyboard(shown))
    await message.answer(
        texts.render("posting.confirm", vacancy=vacancy, target=described, groups=matched),
        reply_markup=confirm_markup(texts),
    )
