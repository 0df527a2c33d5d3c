"""The résumé conversation as a step machine that any channel can drive.

A channel keeps the ``Conversation`` (Telegram in its FSM data), feeds the machine what the
person did (agreed, typed an answer, pressed back, confirmed) and renders the ``Step`` it
gets back: a consent to ask, a field to ask (perhaps with why the last answer was refused),
the summary, a screening question, or the end with its outcome. The rules and the refusal
reasons are ``jobfeed.applications.validation``'s, so every channel refuses alike.

Filing is durable before the machine says so: ``Outcome.submitted`` comes with the filed
application; the channel tells the applicant, has the card delivered, and only then forgets
the conversation, so a replayed update finds the same application.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from redis.exceptions import RedisError

from jobfeed.applications.models import (
    RESUME_FIELDS,
    Application,
    ApplicationDraft,
    ApplicationSource,
    Attachment,
    Consent,
    Resume,
    ScreeningAnswer,
)
from jobfeed.applications.repository import ApplicationRepository
from jobfeed.applications.validation import (
    BACK_WORDS,
    SKIP_WORDS,
    InvalidAnswer,
    is_word,
    normalize,
    parse_age,
    parse_experience,
    parse_long,
    parse_name,
    parse_phone,
    parse_short,
)
from jobfeed.legacy import FIRST_CHANNEL
from jobfeed.models import ScreeningQuestion, Vacancy, utcnow
from jobfeed.observe import ApplicationObserver, Ignore
from jobfeed.vacancies import VacancyRepository

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Parser = Callable[[str, datetime], dict[str, Any]]


def new_token() -> str:
    return secrets.token_urlsafe(6)


class Conversation(BaseModel):
    """What the conversation remembers between steps."""

    # Carried by every button of this conversation: a button of an earlier one (another
    # vacancy, another employer) must not act on this one.
    token: str = ""
    vacancy_id: str | None = None
    vacancy_title: str = ""
    employer: str = ""
    vacancy_city: str = ""
    draft: dict[str, Any] = Field(default_factory=dict)
    editing: bool = False  # came from the summary to change one field
    consent_at: datetime | None = None
    answers: list[ScreeningAnswer] = Field(default_factory=list)
    source: ApplicationSource = FIRST_CHANNEL  # conversations kept from before sources

    @classmethod
    def for_vacancy(cls, vacancy: Vacancy | None, source: ApplicationSource) -> Conversation:
        if vacancy is None:
            return cls(token=new_token(), source=source)
        return cls(
            token=new_token(),
            vacancy_id=vacancy.id,
            vacancy_title=vacancy.title,
            employer=vacancy.employer,
            vacancy_city=vacancy.city,
            source=source,
        )

    def missing_field(self) -> str | None:
        return next((f for f in RESUME_FIELDS if f not in self.draft), None)

    def resume(self, user_id: int) -> Resume | None:
        try:
            return Resume.model_validate(
                {**self.draft, "user_id": user_id, "updated_at": utcnow()}
            )
        except ValidationError:
            return None

    def consent(self, retention_days: int) -> Consent:
        return Consent(
            employer=self.employer or None,
            vacancy_id=self.vacancy_id,
            retention_days=retention_days,
            given_at=self.consent_at or utcnow(),
        )


def draft_of(resume: Resume) -> dict[str, Any]:
    return resume.model_dump(mode="json", exclude={"user_id", "updated_at"})


class Stage(StrEnum):
    consent = "consent"  # agree to the résumé being kept and sent
    returning = "returning"  # a stored résumé: reuse it or update it
    field = "field"  # one résumé field
    review = "review"  # the summary: confirm, or change a field
    screening = "screening"  # the vacancy's screening questions, one by one
    closed = "closed"  # the conversation is over (``Outcome`` says how)


class Outcome(StrEnum):
    unavailable = "unavailable"  # the vacancy was closed before the conversation began
    already_applied = "already_applied"
    declined = "declined"
    cancelled = "cancelled"
    resume_saved = "resume_saved"  # no vacancy: the résumé is kept for later
    closed_meanwhile = "closed_meanwhile"  # the vacancy closed while the résumé was typed
    submitted = "submitted"
    screened_out = "screened_out"


@dataclass(frozen=True, slots=True)
class Step:
    stage: Stage
    field: str | None = None  # Stage.field: the field asked
    invalid: str | None = None  # why the last answer was refused (a validation reason)
    busy: bool = False  # Stage.review: filing failed for now; the summary is offered again
    question: ScreeningQuestion | None = None  # Stage.screening
    index: int = 0  # Stage.screening: 0-based
    total: int = 0  # Stage.screening: questions in all
    resume: Resume | None = None  # Stage.returning: the stored résumé
    outcome: Outcome | None = None  # Stage.closed
    application: Application | None = None  # Outcome.submitted, screened_out, already_applied
    vacancy_title: str = ""


def _age(text: str, now: datetime) -> dict[str, Any]:
    age, birth_year = parse_age(text, now.date())
    return {"age": age, "birth_year": birth_year}


def _skip_file(text: str, now: datetime) -> dict[str, Any]:
    if not is_word(text, SKIP_WORDS):
        raise InvalidAnswer("file_expected")
    return {"attachment": None}


# How a typed answer to each field is read; a file or a shared contact comes in through
# ``ResumeFlow.attach`` and ``ResumeFlow.accept`` after the channel checked it.
PARSERS: dict[str, Parser] = {
    "name": lambda t, _: {"name": parse_name(t)},
    "phone": lambda t, _: {"phone": parse_phone(t), "phone_shared": False},
    "age": _age,
    "city": lambda t, _: {"city": parse_short(t)},
    "desired_job": lambda t, _: {"desired_job": parse_short(t)},
    "desired_place": lambda t, _: {"desired_place": parse_short(t)},
    "skills": lambda t, _: {"skills": parse_long(t)},
    "experience_years": lambda t, _: {"experience_years": parse_experience(t)},
    "expected_pay": lambda t, _: {"expected_pay": parse_short(t)},
    "start_date": lambda t, _: {"start_date": parse_short(t)},
    "attachment": _skip_file,
}


def match_choice(question: ScreeningQuestion, text: str) -> str | None:
    wanted = normalize(text).lower()
    return next((c for c in question.choices if normalize(c).lower() == wanted), None)


class ResumeFlow:
    """The steps of applying; each call takes the conversation (changed in place) and
    returns the step to show. The caller stores the conversation after each call."""

    def __init__(
        self,
        applications: ApplicationRepository,
        vacancies: VacancyRepository,
        clock: Clock = utcnow,
        observer: ApplicationObserver | None = None,
    ) -> None:
        self._applications = applications
        self._vacancies = vacancies
        self._clock = clock
        self.observer: ApplicationObserver = observer or Ignore()  # set by the wiring
        # Who brought a person (a labour broker's code, first touch), if anyone: set by
        # the wiring where brokers exist; the filed application keeps it.
        self.referrer: Callable[[int], Awaitable[str | None]] | None = None

    @property
    def retention_days(self) -> int:
        return self._applications.retention_days

    # -- ways in ---------------------------------------------------------------------------

    async def begin(
        self, user_id: int, vacancy_id: str | None, source: ApplicationSource
    ) -> tuple[Conversation, Step]:
        """A new conversation in channel ``source``: about ``vacancy_id``, or (None) building
        a résumé."""
        vacancy = None
        if vacancy_id is not None:
            vacancy = await self._vacancies.get(vacancy_id)
            if vacancy is None or not vacancy.is_open():
                return Conversation(), _closed(Outcome.unavailable)
            existing = await self._applications.applied_to(user_id, vacancy_id)
            if existing is not None:
                return Conversation(), _closed(Outcome.already_applied, existing)
        conversation = Conversation.for_vacancy(vacancy, source)
        resume = await self._applications.get_resume(user_id)
        if resume is None:
            return conversation, Step(Stage.consent)
        return conversation, Step(Stage.returning, resume=resume)

    def agree(self, conversation: Conversation) -> Step:
        conversation.consent_at = self._clock()
        return self.ask(conversation, RESUME_FIELDS[0])

    async def reuse(self, conversation: Conversation, user_id: int) -> Step:
        """The stored résumé goes as it is (the question stated the consent)."""
        conversation.consent_at = self._clock()
        resume = await self._applications.get_resume(user_id)
        if resume is None:  # expired or forgotten since the question: ask afresh
            return self.ask(conversation, RESUME_FIELDS[0])
        conversation.draft = draft_of(resume)
        return await self.confirm(conversation, user_id)

    async def update(self, conversation: Conversation, user_id: int) -> Step:
        """The stored résumé as the draft; what it lacks is asked, then the summary."""
        conversation.consent_at = self._clock()
        resume = await self._applications.get_resume(user_id)
        if resume is not None:
            conversation.draft = draft_of(resume)
        missing = conversation.missing_field()
        return self.summary(conversation) if missing is None else self.ask(conversation, missing)

    def decline(self, conversation: Conversation) -> Step:
        return _closed(Outcome.declined)

    def cancel(self, conversation: Conversation) -> Step:
        return _closed(Outcome.cancelled)

    # -- the fields ------------------------------------------------------------------------

    def ask(self, conversation: Conversation, field: str, invalid: str | None = None) -> Step:
        return Step(Stage.field, field=field, invalid=invalid)

    def answer(self, conversation: Conversation, field: str, text: str) -> Step:
        """A typed answer to ``field``: back, refused with a reason, or taken."""
        if is_word(text, BACK_WORDS):
            return self.back(conversation, field)
        try:
            values = PARSERS[field](text, self._clock())
        except InvalidAnswer as exc:
            return self.ask(conversation, field, exc.reason)
        return self.accept(conversation, field, values)

    def fill(self, conversation: Conversation, answers: Mapping[str, str]) -> dict[str, str]:
        """Several fields at once, as a form sends them: each answer read as a typed one
        (``PARSERS``, without the back and skip words of the keyboards) and taken when
        valid; returns the refusal reason of each field refused."""
        refused: dict[str, str] = {}
        for field, text in answers.items():
            try:
                conversation.draft.update(PARSERS[field](text, self._clock()))
            except InvalidAnswer as exc:
                refused[field] = exc.reason
        return refused

    def accept(self, conversation: Conversation, field: str, values: dict[str, Any]) -> Step:
        """Take ``values`` (already checked) for ``field``; the next step."""
        conversation.draft.update(values)
        return self.after(conversation, field)

    def attach(self, conversation: Conversation, attachment: Attachment) -> Step:
        """A file the channel received and checked (``jobfeed.applications.files``)."""
        return self.accept(
            conversation, "attachment", {"attachment": attachment.model_dump(mode="json")}
        )

    def after(self, conversation: Conversation, answered: str) -> Step:
        """The step after ``answered`` (steps walk in order, also after back), or the
        summary when changing one field from it or after the last step."""
        index = RESUME_FIELDS.index(answered) + 1
        if conversation.editing or index == len(RESUME_FIELDS):
            return self.summary(conversation)
        return self.ask(conversation, RESUME_FIELDS[index])

    def back(self, conversation: Conversation, field: str) -> Step:
        if conversation.editing:
            return self.summary(conversation)
        index = RESUME_FIELDS.index(field)
        if index == 0:
            return Step(Stage.consent)
        return self.ask(conversation, RESUME_FIELDS[index - 1])

    def edit(self, conversation: Conversation, field: str) -> Step:
        """From the summary: change one field, then back to the summary."""
        conversation.editing = True
        return self.ask(conversation, field)

    def summary(self, conversation: Conversation, *, busy: bool = False) -> Step:
        conversation.editing = False
        return Step(Stage.review, busy=busy)

    # -- confirm, screening, file ----------------------------------------------------------

    async def confirm(self, conversation: Conversation, user_id: int) -> Step:
        """The summary confirmed: the résumé kept, or the screening, or the filing."""
        resume = conversation.resume(user_id)
        if resume is None:
            return self.ask(conversation, conversation.missing_field() or RESUME_FIELDS[0])
        vacancy_id = conversation.vacancy_id
        vacancy = await self._vacancies.get(vacancy_id) if vacancy_id else None
        if vacancy is None or not vacancy.is_open():
            await self._applications.save_resume(resume)
            return _closed(Outcome.closed_meanwhile if vacancy_id else Outcome.resume_saved)
        if vacancy.screening:
            conversation.answers = []
            return _question(vacancy, 0)
        return await self.file(conversation, user_id, vacancy)

    async def screening(self, conversation: Conversation, user_id: int, text: str) -> Step:
        """A typed answer to the current screening question."""
        vacancy = await self._vacancies.get(conversation.vacancy_id or "")
        if vacancy is None or not vacancy.screening:
            return await self.confirm(conversation, user_id)
        index = min(len(conversation.answers), len(vacancy.screening) - 1)
        question = vacancy.screening[index]
        choice = match_choice(question, text)
        if choice is None:
            return _question(vacancy, index, "choice")
        qualified = not question.accepted or choice in question.accepted
        conversation.answers = [
            *conversation.answers[:index],
            ScreeningAnswer(question=question.text, answer=choice, qualified=qualified),
        ]
        # One disqualifying answer settles it: asking on would only waste their time.
        if qualified and index + 1 < len(vacancy.screening):
            return _question(vacancy, index + 1)
        return await self.file(conversation, user_id, vacancy)

    async def not_a_choice(self, conversation: Conversation, user_id: int) -> Step:
        """Something other than a typed choice where a screening answer is expected."""
        vacancy = await self._vacancies.get(conversation.vacancy_id or "")
        if vacancy is None or not vacancy.screening:
            return await self.confirm(conversation, user_id)
        index = min(len(conversation.answers), len(vacancy.screening) - 1)
        return _question(vacancy, index, "choice")

    async def file(self, conversation: Conversation, user_id: int, vacancy: Vacancy) -> Step:
        resume = conversation.resume(user_id)
        if resume is None:
            return self.ask(conversation, conversation.missing_field() or RESUME_FIELDS[0])
        draft = ApplicationDraft(
            vacancy_id=vacancy.id,
            vacancy_title=vacancy.title,
            employer=vacancy.employer,
            recruiter_id=vacancy.recruiter_id,
            resume=resume,
            consent=conversation.consent(self.retention_days),
            screening=conversation.answers,
            source=conversation.source,
            broker=await self.referrer(user_id) if self.referrer else None,
        )
        try:
            application = await self._applications.submit(draft)
        except RedisError as exc:
            # Nothing is promised before Redis has the application: the summary again.
            log.error("Filing an application for vacancy %s failed: %s", vacancy.id, exc)
            return self.summary(conversation, busy=True)
        log.info(
            "Application %s filed for vacancy %s (qualified: %s)",
            application.number,
            vacancy.id,
            application.qualified,
        )
        self.observer.filed()
        outcome = Outcome.submitted if application.qualified else Outcome.screened_out
        return Step(
            Stage.closed, outcome=outcome, application=application, vacancy_title=vacancy.title
        )


def _question(vacancy: Vacancy, index: int, invalid: str | None = None) -> Step:
    return Step(
        Stage.screening,
        question=vacancy.screening[index],
        index=index,
        total=len(vacancy.screening),
        invalid=invalid,
    )


def _closed(outcome: Outcome, application: Application | None = None) -> Step:
    return Step(Stage.closed, outcome=outcome, application=application)
