"""The ``/post`` wizard: a recruiter describes a vacancy step by step and submits it.

Each step has a handler for a valid answer and a fallback for anything else (the
step is asked again with the reason); ``/cancel`` works in every step. The draft lives
in the FSM data on Redis, so a conversation survives a restart. The preview is the
broadcast engine's own rendering, so the recruiter sees exactly what the groups will.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from handlers.answering import answer_press
from handlers.filters import InPrivate, IsRecruiter, Magic, NotCommand
from handlers.staff_callbacks import (
    VacancyVerdict,
    Verdict,
    WizardAction,
    WizardButton,
    drop_buttons,
)
from jobfeed.approvals import Approvals
from jobfeed.broadcast.models import Post
from jobfeed.broadcast.rendering import render_post
from jobfeed.groups import GroupRepository
from jobfeed.models import GroupFilter, Vacancy, VacancyStatus
from jobfeed.places import Places
from jobfeed.posting import (
    EMPLOYER_MAX,
    TITLE_MAX,
    InvalidInput,
    VacancyDraft,
    clean,
    parse_benefits,
    parse_headcount,
    parse_phone,
    parse_place,
    parse_requirements,
    parse_salary,
    parse_short,
    parse_target,
)
from jobfeed.roles import Recruiter
from jobfeed.submissions import SubmissionRepository
from jobfeed.texts import Texts

log = logging.getLogger(__name__)


class PostingVacancy(StatesGroup):
    typing_title = State()
    choosing_employer = State()
    typing_city = State()
    typing_pay = State()
    typing_headcount = State()
    typing_requirements = State()
    typing_benefits = State()
    typing_phone = State()
    choosing_target = State()
    confirming = State()


Step = Callable[..., Awaitable[None]]


def router() -> Router:
    r = Router(name="posting")
    r.message.register(cancel, Command("cancel"), StateFilter(PostingVacancy))
    r.message.register(start, Command("post"), InPrivate(), IsRecruiter(or_admin=True))
    r.message.register(private_only, Command("post"), ~InPrivate())
    r.message.register(recruiters_only, Command("post"))
    steps: list[tuple[State, Step]] = [
        (PostingVacancy.typing_title, got_title),
        (PostingVacancy.choosing_employer, got_employer),
        (PostingVacancy.typing_city, got_city),
        (PostingVacancy.typing_pay, got_pay),
        (PostingVacancy.typing_headcount, got_headcount),
        (PostingVacancy.typing_requirements, got_requirements),
        (PostingVacancy.typing_benefits, got_benefits),
        (PostingVacancy.typing_phone, got_phone),
        (PostingVacancy.choosing_target, got_target),
    ]
    # Commands are left to their own handlers, so /myjobs works in the middle of a post.
    for state, handler in steps:
        r.message.register(handler, StateFilter(state), Magic(F.text), NotCommand(), InPrivate())
    confirming = StateFilter(PostingVacancy.confirming)
    r.message.register(use_buttons, confirming, NotCommand(), InPrivate())
    r.message.register(text_only, StateFilter(PostingVacancy), NotCommand(), InPrivate())
    r.callback_query.register(wizard_button, WizardButton.filter(), confirming, InPrivate())
    return r


# -- helpers -------------------------------------------------------------------------------


def _keyboard(*labels: str) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=label) for label in labels]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


async def _draft(state: FSMContext) -> VacancyDraft:
    return VacancyDraft.model_validate((await state.get_data()).get("draft") or {})


async def _save(state: FSMContext, draft: VacancyDraft, next_state: State) -> None:
    await state.update_data(draft=draft.model_dump(mode="json"))
    await state.set_state(next_state)


def post_markup(post: Post) -> InlineKeyboardMarkup | None:
    if not post.buttons:
        return None
    rows = [[InlineKeyboardButton(text=b.text, url=b.url)] for b in post.buttons]
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def render_for_groups(bot: Bot, texts: Texts, vacancy: Vacancy) -> Post:
    """The post exactly as the broadcast engine will put it into the groups, that is
    once the vacancy is approved (a pending one would render as not open)."""
    me = await bot.me()
    approved = vacancy.model_copy(update={"status": VacancyStatus.active})
    return render_post(texts, [approved], me.username or "")


async def _invalid(message: Message, texts: Texts, error: InvalidInput) -> None:
    await message.answer(texts.render("posting.invalid", reason=error.reason, detail=error.detail))


# -- entry and exit ------------------------------------------------------------------------


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


async def private_only(message: Message, texts: Texts) -> None:
    await message.reply(texts.render("posting.private_only"))


async def recruiters_only(message: Message, texts: Texts) -> None:
    await message.answer(texts.render("posting.recruiters_only"))


async def text_only(message: Message, texts: Texts) -> None:
    await message.answer(texts.render("posting.text_only"))


async def use_buttons(message: Message, texts: Texts) -> None:
    await message.answer(texts.render("posting.use_buttons"))


# -- the steps -----------------------------------------------------------------------------


async def got_title(message: Message, state: FSMContext, texts: Texts) -> None:
    try:
        title = parse_short(message.text or "", TITLE_MAX)
    except InvalidInput as error:
        await _invalid(message, texts, error)
        return
    draft = (await _draft(state)).model_copy(update={"title": title})
    await _save(state, draft, PostingVacancy.choosing_employer)
    default = (await state.get_data()).get("default_employer")
    markup = _keyboard(default) if default else ReplyKeyboardRemove()
    await message.answer(
        texts.render("posting.ask_employer", default=default), reply_markup=markup
    )


async def got_employer(message: Message, state: FSMContext, texts: Texts) -> None:
    try:
        employer = parse_short(message.text or "", EMPLOYER_MAX)
    except InvalidInput as error:
        await _invalid(message, texts, error)
        return
    draft = (await _draft(state)).model_copy(update={"employer": employer})
    await _save(state, draft, PostingVacancy.typing_city)
    await message.answer(texts.render("posting.ask_city"), reply_markup=ReplyKeyboardRemove())


async def got_city(message: Message, state: FSMContext, texts: Texts, places: Places) -> None:
    try:
        city, province = parse_place(message.text or "", places)
    except InvalidInput as error:
        await _invalid(message, texts, error)
        return
    draft = (await _draft(state)).model_copy(update={"city": city, "province": province})
    await _save(state, draft, PostingVacancy.typing_pay)
    await message.answer(
        texts.render("posting.place_ok", city=city, province=province)
        + "\n"
        + texts.render("posting.ask_pay")
    )


async def got_pay(message: Message, state: FSMContext, texts: Texts) -> None:
    try:
        low, high, unit = parse_salary(message.text or "")
    except InvalidInput as error:
        await _invalid(message, texts, error)
        return
    draft = (await _draft(state)).model_copy(
        update={"salary_min": low, "salary_max": high, "salary_unit": unit}
    )
    await _save(state, draft, PostingVacancy.typing_headcount)
    await message.answer(texts.render("posting.ask_headcount"))


async def got_headcount(message: Message, state: FSMContext, texts: Texts) -> None:
    try:
        headcount = parse_headcount(message.text or "")
    except InvalidInput as error:
        await _invalid(message, texts, error)
        return
    draft = (await _draft(state)).model_copy(update={"headcount": headcount})
    await _save(state, draft, PostingVacancy.typing_requirements)
    skip = texts.render("posting.button_skip")
    await message.answer(texts.render("posting.ask_requirements"), reply_markup=_keyboard(skip))


async def got_requirements(message: Message, state: FSMContext, texts: Texts) -> None:
    try:
        requirements = parse_requirements(message.text or "")
    except InvalidInput as error:
        await _invalid(message, texts, error)
        return
    draft = (await _draft(state)).model_copy(update={"requirements": requirements})
    await _save(state, draft, PostingVacancy.typing_benefits)
    skip = texts.render("posting.button_skip")
    await message.answer(texts.render("posting.ask_benefits"), reply_markup=_keyboard(skip))


async def got_benefits(message: Message, state: FSMContext, texts: Texts) -> None:
    try:
        benefits = parse_benefits(message.text or "")
    except InvalidInput as error:
        await _invalid(message, texts, error)
        return
    draft = (await _draft(state)).model_copy(update={"benefits": benefits})
    await _save(state, draft, PostingVacancy.typing_phone)
    await message.answer(texts.render("posting.ask_phone"), reply_markup=ReplyKeyboardRemove())


async def got_phone(message: Message, state: FSMContext, texts: Texts) -> None:
    try:
        phone = parse_phone(message.text or "")
    except InvalidInput as error:
        await _invalid(message, texts, error)
        return
    draft = (await _draft(state)).model_copy(update={"contact_phone": phone})
    await _save(state, draft, PostingVacancy.choosing_target)
    everything = texts.render("posting.button_all")
    await message.answer(texts.render("posting.ask_target"), reply_markup=_keyboard(everything))


async def got_target(
    message: Message,
    *,
    state: FSMContext,
    texts: Texts,
    places: Places,
    groups: GroupRepository,
    submissions: SubmissionRepository,
    bot: Bot,
) -> None:
    text = clean(message.text or "")
    try:
        target = parse_target(
            "全部" if text == texts.render("posting.button_all") else text, places
        )
    except InvalidInput as error:
        await _invalid(message, texts, error)
        return
    matched = len(await groups.select(target))
    described = texts.render("posting.target", filter=target)
    if matched == 0:
        await message.answer(texts.render("posting.no_groups", target=described))
        return
    draft = (await _draft(state)).model_copy(update={"target": target})
    user = message.from_user
    assert user is not None  # private chats always have a sender
    # The id is handed out now so that the preview's apply button is the real one.
    data = await state.get_data()
    vacancy_id = data.get("vacancy_id") or await submissions.next_vacancy_id()
    vacancy = draft.to_vacancy(vacancy_id, user.id)
    await state.update_data(vacancy_id=vacancy_id)
    await _save(state, draft, PostingVacancy.confirming)
    post = await render_for_groups(bot, texts, vacancy)
    await message.answer(post.html, reply_markup=post_markup(post))
    await message.answer(
        texts.render("posting.confirm", vacancy=vacancy, target=described, groups=matched),
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    _wizard_button(texts, "submit", WizardAction.submit),
                    _wizard_button(texts, "restart", WizardAction.restart),
                ],
                [_wizard_button(texts, "cancel", WizardAction.cancel)],
            ]
        ),
    )


def _wizard_button(texts: Texts, name: str, action: WizardAction) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=texts.render(f"posting.button_{name}"),
        callback_data=WizardButton(action=action).pack(),
    )


async def wizard_button(
    query: CallbackQuery,
    *,
    callback_data: WizardButton,
    state: FSMContext,
    texts: Texts,
    groups: GroupRepository,
    approvals: Approvals,
    admin_ids: frozenset[int],
    bot: Bot,
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
        await state.set_state(PostingVacancy.typing_title)
        await answer_press(query)
        await message.answer(
            texts.render("posting.restart") + "\n" + texts.render("posting.ask_title")
        )
        return
    draft = await _draft(state)
    vacancy_id = (await state.get_data()).get("vacancy_id")
    # Stored under the id the preview showed, so a replay after a crash files the same
    # vacancy again rather than a second one; then a second press finds no draft.
    vacancy, submission = await approvals.submit(draft, query.from_user.id, vacancy_id)
    await state.clear()
    matched = len(await groups.select(submission.target))
    await answer_press(query)
    await message.answer(texts.render("posting.submitted", vacancy=vacancy, groups=matched))
    post = await render_for_groups(bot, texts, vacancy)
    await notify_admins(
        bot,
        texts=texts,
        admin_ids=admin_ids,
        query=query,
        vacancy=vacancy,
        target=submission.target,
        matched=matched,
        post=post,
    )


async def notify_admins(
    bot: Bot,
    *,
    texts: Texts,
    admin_ids: frozenset[int],
    query: CallbackQuery,
    vacancy: Vacancy,
    target: GroupFilter,
    matched: int,
    post: Post,
) -> None:
    user = query.from_user
    described = texts.render("posting.target", filter=target)
    header = texts.render(
        "admins.vacancy_submitted",
        vacancy=vacancy,
        name=user.full_name,
        user_id=user.id,
        target=described,
        groups=matched,
    )
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=texts.render("admins.button_approve_vacancy"),
                    callback_data=VacancyVerdict(
                        verdict=Verdict.approve, vacancy_id=vacancy.id
                    ).pack(),
                ),
                InlineKeyboardButton(
                    text=texts.render("admins.button_reject"),
                    callback_data=VacancyVerdict(
                        verdict=Verdict.reject, vacancy_id=vacancy.id
                    ).pack(),
                ),
            ]
        ]
    )
    for admin_id in sorted(admin_ids):
        try:
            await bot.send_message(admin_id, header + "\n\n" + post.html, reply_markup=markup)
        except TelegramAPIError as exc:
            # An admin who never opened a chat with the bot cannot be written to first.
            log.warning("Could not notify admin %s of vacancy %s: %s", admin_id, vacancy.id, exc)
