"""Core domain models: vacancies (the feed format) and the group matrix."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from jobfeed.channels import CHANNEL_NAME, DEFAULT_CHANNEL, Address, ChatId
from jobfeed.compliance.findings import Review

# Ids travel inside deep links (``/start`` payloads allow only A-Z a-z 0-9 _ -, 64 chars).
VACANCY_ID_PATTERN = r"^[A-Za-z0-9_-]{1,40}$"
VacancyId = Annotated[str, StringConstraints(pattern=VACANCY_ID_PATTERN)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]

_PHONE_DIGITS = re.compile(r"\d")
# Sources of posts written for us (the API's default, the /post wizard); any other source
# is a feed or file we import, and its posts say where they were taken from (转载自).
OWN_SOURCES = frozenset({"manual", "recruiter", "api"})


def utcnow() -> datetime:
    return datetime.now(UTC)


class SalaryUnit(StrEnum):
    month = "month"
    day = "day"
    hour = "hour"


class VacancyStatus(StrEnum):
    pending = "pending"  # submitted by a recruiter, waiting for an admin
    active = "active"
    rejected = "rejected"
    closed = "closed"  # filled or withdrawn
    expired = "expired"
    held = "held"  # the post checker found unlawful wording or a missing field


class GroupKind(StrEnum):
    recruitment = "recruitment"
    community = "community"


class ScreeningQuestion(BaseModel):
    """A yes/no or choice question a recruiter attaches to a vacancy."""

    model_config = ConfigDict(frozen=True)

    text: ShortText
    choices: list[ShortText] = Field(default_factory=lambda: ["是", "否"], min_length=2)
    # Answers that qualify; empty means every answer qualifies.
    accepted: list[ShortText] = Field(default_factory=list)


class Vacancy(BaseModel):
    """A vacancy in the feed format of ``data/vacancies.jsonl`` plus our bookkeeping."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    id: VacancyId
    title: ShortText
    employer: ShortText
    city: ShortText
    province: ShortText
    salary_min: int | None = Field(default=None, ge=0, le=10_000_000)
    salary_max: int | None = Field(default=None, ge=0, le=10_000_000)
    salary_unit: SalaryUnit = SalaryUnit.month
    headcount: int = Field(default=1, ge=1, le=100_000)
    requirements: LongText = ""
    benefits: list[ShortText] = Field(default_factory=list)
    description: LongText = ""
    brand: ShortText | None = None
    contact_phone: str | None = None
    posted_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime | None = None
    url: str | None = Field(default=None, max_length=2000)

    # Bookkeeping, not part of the feed format.
    status: VacancyStatus = VacancyStatus.active
    source: str = "manual"
    recruiter_id: int | None = None
    screening: list[ScreeningQuestion] = Field(default_factory=list)
    updated_at: datetime = Field(default_factory=utcnow)
    compliance: Review | None = None  # the post checker's verdict (jobfeed.compliance)

    @field_validator("salary_max")
    @classmethod
    def _max_not_below_min(cls, value: int | None, info: object) -> int | None:
        data = getattr(info, "data", {})
        low = data.get("salary_min")
        if value is not None and low is not None and value < low:
            raise ValueError("salary_max is below salary_min")
        return value

    @field_validator("posted_at", "expires_at", "updated_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("timestamp needs a UTC offset, e.g. 2026-11-15T02:00:00+08:00")
        return value

    @field_validator("contact_phone")
    @classmethod
    def _phone_has_digits(cls, value: str | None) -> str | None:
        if value is not None and len(_PHONE_DIGITS.findall(value)) < 7:
            raise ValueError("contact_phone has too few digits")
        return value

    def is_open(self, now: datetime | None = None) -> bool:
        if self.status is not VacancyStatus.active:
            return False
        return self.expires_at is None or self.expires_at > (now or utcnow())

    def reposted_from(self) -> str | None:
        """The source an imported vacancy was taken from (shown as 转载自); None for ours."""
        return None if self.source in OWN_SOURCES else self.source

    def pay_text(self) -> str:
        """Pay as job seekers read it, e.g. ``5000-8000元/月``; ``面议`` when unknown."""
        unit = {"month": "元/月", "day": "元/天", "hour": "元/时"}[self.salary_unit.value]
        low, high = self.salary_min, self.salary_max
        if low is None and high is None:
            return "面议"
        if low is None or high is None or low == high:
            return f"{low if low is not None else high}{unit}"
        return f"{low}-{high}{unit}"


class Group(BaseModel):
    """A chat of the matrix the bot is in, with its targeting tags; ``address`` names it.

    ``chat_id`` is the chat within its channel: an integer when it is one (Telegram's
    chats, and every chat of a row that names no channel), else its text.
    """

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    channel: str = Field(default=DEFAULT_CHANNEL, pattern=CHANNEL_NAME.pattern)
    chat_id: ChatId
    title: str = Field(default="", max_length=255)
    kind: GroupKind = GroupKind.community
    city: str | None = Field(default=None, max_length=50)
    province: str | None = Field(default=None, max_length=50)
    industries: list[Annotated[str, StringConstraints(min_length=1, max_length=30)]] = Field(
        default_factory=list
    )
    active: bool = True
    inactive_reason: str | None = None
    updated_at: datetime = Field(default_factory=utcnow)

    @field_validator("chat_id")
    @classmethod
    def _chat_of_its_channel(cls, value: ChatId, info: ValidationInfo) -> ChatId:
        channel = info.data.get("channel", DEFAULT_CHANNEL)
        chat = Address(channel, str(value)).chat_id  # ValueError for a malformed chat
        if channel == DEFAULT_CHANNEL and not isinstance(chat, int):
            raise ValueError("a chat of the default channel is an integer id")
        return chat

    @property
    def address(self) -> Address:
        return Address(self.channel, str(self.chat_id))


class GroupTags(BaseModel):
    """A partial update of a group's targeting tags; ``None`` leaves a tag unchanged."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: GroupKind | None = None
    city: str | None = Field(default=None, max_length=50)
    province: str | None = Field(default=None, max_length=50)
    industries: list[Annotated[str, StringConstraints(min_length=1, max_length=30)]] | None = None


class GroupFilter(BaseModel):
    """Targeting: a group matches when it matches every given criterion.

    Within one criterion the values are alternatives (``city=["天津","烟台"]``).
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: list[GroupKind] = Field(default_factory=list)
    city: list[str] = Field(default_factory=list)
    province: list[str] = Field(default_factory=list)
    industries: list[str] = Field(default_factory=list)
    channel: list[str] = Field(default_factory=list)  # channel names; none: every channel

    def matches(self, group: Group) -> bool:
        if not group.active:
            return False
        if self.channel and group.channel not in self.channel:
            return False
        if self.kind and group.kind not in self.kind:
            return False
        if self.city and group.city not in self.city:
            return False
        if self.province and group.province not in self.province:
            return False
        return not self.industries or bool(set(self.industries) & set(group.industries))

    def describe(self) -> str:
        parts = [
            f"{name}={'/'.join(str(v) for v in values)}"
            for name, values in (
                ("kind", self.kind),
                ("city", self.city),
                ("province", self.province),
                ("industries", self.industries),
                ("channel", self.channel),
            )
            if values
        ]
        return ", ".join(parts) or "all active groups"


Role = Literal["admin", "recruiter", "seeker"]
