"""Telling people what happened, whichever channel reaches them: the ``Notifier`` port.

The domain says *what* to tell: a notice for one person, an application's card for its
recruiter, a decision the admins are asked to take. An adapter (for Telegram,
``bot.telegram.notifier``) says it in its channel's words and buttons, waits out its
channel's flood control, and logs a failure without personal data. Approvals,
applications and recruiters all notify through it, from chat, the dashboard and the API.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from jobfeed.applications.models import WEB, Application
from jobfeed.approvals import Result
from jobfeed.broadcast.models import Post
from jobfeed.groups import GroupRepository
from jobfeed.models import GroupFilter, Vacancy
from jobfeed.roles import Recruiter

# Who is told: the person's id in the channel that reaches them (today a user id).
Person = int


@dataclass(frozen=True, slots=True)
class RecruiterDecided:
    """The applicant for the role hears the verdict; a revoked recruiter hears that."""

    recruiter: Recruiter
    approved: bool


@dataclass(frozen=True, slots=True)
class VacancyDecided:
    """The recruiter hears whether their vacancy goes out, and to how many groups."""

    vacancy: Vacancy
    approved: bool
    groups: int


@dataclass(frozen=True, slots=True)
class StatusChanged:
    """The applicant hears the new status of their application."""

    application: Application


@dataclass(frozen=True, slots=True)
class VacancyAlert:
    """A vacancy opened that fits the person's availability (``jobfeed.matching``)."""

    vacancy: Vacancy


@dataclass(frozen=True, slots=True)
class AlertDigest:
    """The fitting vacancies over the day's cap of alerts, together once a day."""

    vacancies: tuple[Vacancy, ...]


@dataclass(frozen=True, slots=True)
class CandidatesDigest:
    """A recruiter's daily digest: their open vacancies that new job seekers fit, and how
    many each (``jobfeed.matching.digest``)."""

    vacancies: tuple[tuple[Vacancy, int], ...]


Notice = (
    RecruiterDecided
    | VacancyDecided
    | StatusChanged
    | VacancyAlert
    | AlertDigest
    | CandidatesDigest
)


class Delivery(StrEnum):
    sent = "sent"
    blocked = "blocked"  # the person blocked the bot or is gone: stop writing to them
    failed = "failed"  # a transient failure: try again later


@dataclass(frozen=True, slots=True)
class RecruiterRequest:
    """Someone asks for the recruiter role."""

    recruiter: Recruiter


@dataclass(frozen=True, slots=True)
class VacancySubmission:
    """A recruiter submitted a vacancy; ``post`` is how the groups would see it."""

    vacancy: Vacancy
    by: Person
    by_name: str
    target: GroupFilter
    groups: int
    post: Post


Decision = RecruiterRequest | VacancySubmission


class Notifier(Protocol):
    async def tell(self, person: Person, notice: Notice) -> bool:
        """Tell one person; False when they cannot be reached (logged, not raised)."""
        ...

    async def deliver(self, person: Person, notice: Notice) -> Delivery:
        """``tell``, saying whether a failure is for good (blocked) or for now."""
        ...

    async def deliver_card(self, application: Application) -> bool:
        """Send the application's card to its recruiter (or the admins) once, then the
        cards kept back earlier; False when a transient error kept this one back too
        (it is queued and sent again later)."""
        ...

    async def forget_cards(self, numbers: Sequence[int]) -> None:
        """Replace the cards of forgotten applications where they were delivered."""
        ...

    async def ask_admins(self, decision: Decision) -> None:
        """Put a decision before every admin, with the buttons to take it."""
        ...


async def tell_applicant(notifier: Notifier, application: Application) -> bool:
    """The new status, to the applicant unless there is none or they asked to be forgotten.

    Only an application from the chat has someone to tell: a web applicant has no channel
    to be written to and reads the status on the page their application links to."""
    applicant = application.applicant_id
    if applicant is None or application.forgotten:
        return False
    if application.source == WEB:
        return False
    return await notifier.tell(applicant, StatusChanged(application))


async def tell_vacancy_decided(
    notifier: Notifier, groups: GroupRepository, result: Result, *, approved: bool
) -> None:
    """The submitting recruiter hears the decision (and, approved, the groups it reaches)."""
    vacancy, submission = result.vacancy, result.submission
    if vacancy is None or submission is None:
        return
    reached = len(await groups.select(submission.target)) if approved else 0
    await notifier.tell(submission.recruiter_id, VacancyDecided(vacancy, approved, reached))
