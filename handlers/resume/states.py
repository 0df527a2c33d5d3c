"""The steps of applying, named for what the job seeker is doing."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class Applying(StatesGroup):
    reading_consent = State()
    choosing_resume = State()  # a returning applicant: reuse the stored résumé or update it
    typing_name = State()
    sharing_phone = State()
    giving_age = State()
    typing_city = State()
    typing_desired_job = State()
    typing_desired_place = State()
    typing_skills = State()
    giving_experience = State()
    typing_pay = State()
    typing_start_date = State()
    sending_file = State()
    reviewing = State()
    answering_screening = State()


# Which state asks for which résumé field (jobfeed.applications.models.RESUME_FIELDS).
FIELD_STATES: dict[str, State] = {
    "name": Applying.typing_name,
    "phone": Applying.sharing_phone,
    "age": Applying.giving_age,
    "city": Applying.typing_city,
    "desired_job": Applying.typing_desired_job,
    "desired_place": Applying.typing_desired_place,
    "skills": Applying.typing_skills,
    "experience_years": Applying.giving_experience,
    "expected_pay": Applying.typing_pay,
    "start_date": Applying.typing_start_date,
    "attachment": Applying.sending_file,
}
STATE_FIELDS: dict[str | None, str] = {state.state: field for field, state in FIELD_STATES.items()}
