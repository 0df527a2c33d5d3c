"""A placement: an application marked hired, with what the county's ledger (台账) needs.

The record (employer, place, trade, pay, start, broker, check-in answers) stays for the
counts; the personal part (the worker's id, name, phone, home) goes with ``/forget``.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from jobfeed import legacy
from jobfeed.models import VacancyId


class Answer(StrEnum):
    stayed = "stayed"  # 还在
    left = "left"  # 已离开


# Why a worker left, as the buttons offer it (stored as the code, shown in Chinese).
LEAVE_REASONS: tuple[str, ...] = ("pay", "work", "family", "contract", "other")


class CheckinAnswer(BaseModel):
    model_config = ConfigDict(frozen=True)

    answer: Answer
    reason: str = ""  # one of LEAVE_REASONS when the worker left
    at: datetime


class Checkin(BaseModel):
    """One retention question: when it was asked, answered, and the recruiter reminded."""

    months: int
    due: date
    asked_at: datetime | None = None
    answer: CheckinAnswer | None = None
    reminded_at: datetime | None = None

    @property
    def unanswered(self) -> bool:
        return self.asked_at is not None and self.answer is None


class PlacementRecord(BaseModel):
    """What stays after the worker's personal data is gone."""

    number: int  # the application's number: one placement per hired application
    vacancy_id: VacancyId
    employer: str
    trade: str
    province: str
    city: str
    recruiter_id: int | None
    created_at: datetime
    # The channel the worker applied through (or web): where they can be asked.
    source: str = legacy.FIRST_CHANNEL


class Worker(BaseModel):
    """The personal part."""

    person: int
    name: str
    phone: str
    home: str  # where the worker lives (the résumé's city, 村/镇 when given)


class Placement(BaseModel):
    record: PlacementRecord
    start: date
    pay: str = ""
    broker: str | None = None  # the code of the broker who brought the worker
    batch: int | None = None  # the departure batch (点对点输送) the worker travels with
    # What the office records itself (the bot does not ask): free text for the ledger.
    training: str = ""  # 培训情况
    insurance: str = ""  # 社保
    subsidy: str = ""  # 补贴
    checkins: list[Checkin] = Field(default_factory=list)
    worker: Worker | None = None

    @property
    def number(self) -> int:
        return self.record.number

    @property
    def forgotten(self) -> bool:
        return self.worker is None

    def checkin(self, months: int) -> Checkin | None:
        return next((c for c in self.checkins if c.months == months), None)

    def stayed(self, months: int) -> bool:
        """The worker said 还在 at that check-in."""
        found = self.checkin(months)
        return (
            found is not None and found.answer is not None and found.answer.answer is Answer.stayed
        )


OFFICE_FIELDS = ("training", "insurance", "subsidy")


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day (Jan 31 + 1 -> Feb 28/29)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
