"""The wizard's FSM states, one per ``jobfeed.posting.PostingStep``."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup

from jobfeed.posting import PostingStep


class PostingVacancy(StatesGroup):
    typing_title = State()
    choosing_employer = State()
    typing_city = State()
    typing_pay = State()
    typing_headcount = State()
    typing_requirements = State()
    typing_duties = State()
    typing_benefits = State()
    typing_phone = State()
    choosing_target = State()
    confirming = State()


STEP_STATES: dict[PostingStep, State] = {
    PostingStep.job_title: PostingVacancy.typing_title,
    PostingStep.employer: PostingVacancy.choosing_employer,
    PostingStep.city: PostingVacancy.typing_city,
    PostingStep.pay: PostingVacancy.typing_pay,
    PostingStep.headcount: PostingVacancy.typing_headcount,
    PostingStep.requirements: PostingVacancy.typing_requirements,
    PostingStep.duties: PostingVacancy.typing_duties,
    PostingStep.benefits: PostingVacancy.typing_benefits,
    PostingStep.phone: PostingVacancy.typing_phone,
    PostingStep.target: PostingVacancy.choosing_target,
    PostingStep.confirm: PostingVacancy.confirming,
}
STATE_STEPS: dict[str | None, PostingStep] = {s.state: step for step, s in STEP_STATES.items()}
