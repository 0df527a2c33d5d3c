"""Résumés, consents and applications: what a job seeker gives and what a recruiter gets."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from jobfeed import legacy
from jobfeed.models import VacancyId, utcnow

# Bounds of the free-text answers (characters after trimming).
NAME_MAX = 30
SHORT_MAX = 50
LONG_MAX = 300

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX)]
Short = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=SHORT_MAX)
]
Long = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=LONG_MAX)]
# A Chinese mobile number as 11 national digits, e.g. 13812345678.
Mobile = Annotated[str, StringConstraints(pattern=r"^1[3-9]\d{9}$")]


class FileKind(StrEnum):
    pdf = "pdf"
    doc = "doc"
    docx = "docx"
    jpeg = "jpeg"
    png = "png"


class Attachment(BaseModel):
    """A file the applicant sent, kept as the channel's reference to it (the bytes stay
    with the channel): ``ref`` means something to ``channel`` only."""

    model_config = ConfigDict(frozen=True)

    channel: str = Field(min_length=1, max_length=40)
    ref: str = Field(min_length=1, max_length=200)
    unique_ref: str = Field(default="", max_length=200)  # the same file, seen again
    file_name: str = Field(default="", max_length=255)
    mime_type: str = Field(max_length=100)
    size: int = Field(ge=0)
    kind: FileKind
    as_photo: bool = False  # sent as a compressed photo: forward it as a photo

    @model_validator(mode="before")
    @classmethod
    def _old_layout(cls, data: Any) -> Any:
        return legacy.attachment(data)


class Resume(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    user_id: int
    name: Name
    phone: Mobile
    phone_shared: bool = False  # came from Telegram's share-contact button
    age: int = Field(ge=16, le=70)
    birth_year: int | None = None
    city: Short
    desired_job: Short
    desired_place: Short
    skills: Long
    experience_years: int = Field(ge=0, le=60)
    expected_pay: Short
    start_date: Short
    attachment: Attachment | None = None
    updated_at: datetime = Field(default_factory=utcnow)


# The fields a job seeker fills in, in the order they are asked.
RESUME_FIELDS: tuple[str, ...] = (
    "name",
    "phone",
    "age",
    "city",
    "desired_job",
    "desired_place",
    "skills",
    "experience_years",
    "expected_pay",
    "start_date",
    "attachment",
)


class Consent(BaseModel):
    """What the job seeker agreed to, as shown to them."""

    model_config = ConfigDict(frozen=True)

    purpose: str = "job_application"
    employer: str | None = None  # None: résumé kept for later applications only
    vacancy_id: VacancyId | None = None
    retention_days: int = Field(ge=1)
    given_at: datetime = Field(default_factory=utcnow)
    text_version: int = 1


# Where an application was filed: the name of the channel whose conversation filed it
# (``jobfeed.channels``; the applicant can be written to there), or ``WEB``.
ApplicationSource = str
WEB = "web"  # the job page's form: nobody to write back to; the status is on its page


class ApplicationStatus(StrEnum):
    submitted = "submitted"
    viewed = "viewed"
    interview = "interview"
    hired = "hired"
    rejected = "rejected"
    screened_out = "screened_out"  # an answer did not qualify; never sent to the recruiter


# What a recruiter can set from the card or an admin through the API.
RECRUITER_STATUSES: tuple[ApplicationStatus, ...] = (
    ApplicationStatus.viewed,
    ApplicationStatus.interview,
    ApplicationStatus.hired,
    ApplicationStatus.rejected,
)


class ScreeningAnswer(BaseModel):
    model_config = ConfigDict(frozen=True)

    question: str
    answer: str
    qualified: bool


class ApplicationDraft(BaseModel):
    """Everything needed to file an application, before it has a number."""

    vacancy_id: VacancyId
    vacancy_title: str
    employer: str
    recruiter_id: int | None
    resume: Resume
    consent: Consent
    screening: list[ScreeningAnswer] = Field(default_factory=list)
    source: ApplicationSource = legacy.FIRST_CHANNEL  # records from before the web form: the chat
    broker: str | None = None  # the broker who brought the applicant (first touch)

    @property
    def qualified(self) -> bool:
        return all(answer.qualified for answer in self.screening)


class Application(BaseModel):
    number: int
    vacancy_id: VacancyId
    vacancy_title: str
    employer: str
    recruiter_id: int | None
    applicant_id: int | None  # None once the applicant asked to be forgotten
    status: ApplicationStatus
    qualified: bool
    consent: Consent
    created_at: datetime
    updated_at: datetime
    source: ApplicationSource = legacy.FIRST_CHANNEL  # records from before the web form: the chat
    # The code of the labour broker who brought the applicant (first touch), if any.
    broker: str | None = None
    # Personal part: gone after /forget or the retention period.
    resume: Resume | None = None
    screening: list[ScreeningAnswer] = Field(default_factory=list)

    @property
    def forgotten(self) -> bool:
        return self.resume is None

    def readable_by(self, user_id: int, admin_ids: frozenset[int]) -> bool:
        """Only the vacancy's recruiter and admins may read or change an application."""
        return user_id in admin_ids or (
            self.recruiter_id is not None and user_id == self.recruiter_id
        )


class StatusChange(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: ApplicationStatus
    actor: str  # "<channel>:<user id>" (e.g. "telegram:42"), "web:<account>" or "api"
    at: datetime

    @field_validator("actor", mode="before")
    @classmethod
    def _old_actor(cls, value: Any) -> Any:
        return legacy.actor(value)


class AccessAction(StrEnum):
    delivered = "delivered"  # the card was sent to the recruiter (or admins)
    viewed = "viewed"
    exported = "exported"  # listed through the API or exported
    status = "status"


class AccessRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    number: int
    actor: str
    action: AccessAction
    at: datetime

    @field_validator("actor", mode="before")
    @classmethod
    def _old_actor(cls, value: Any) -> Any:
        return legacy.actor(value)
