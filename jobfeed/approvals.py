"""A recruiter's vacancy from submission to broadcast to closing, as one workflow.

submit -> pending; an admin approves (the vacancy goes active and its broadcast starts
with the recruiter's targeting) or rejects; the recruiter (or an admin) closes it when
filled, and its posts are edited ("已招满") or withdrawn in every group through the
broadcast engine. Every step is safe to repeat: a replayed button press, or a redelivered
update after a crash, finds the step done and does not do it twice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from jobfeed.compliance.checker import PostChecker
from jobfeed.models import GroupFilter, Vacancy, VacancyStatus
from jobfeed.posting import VacancyDraft
from jobfeed.submissions import Decision, Submission, SubmissionRepository
from jobfeed.vacancies import VacancyRepository

log = logging.getLogger(__name__)


class Broadcaster(Protocol):
    """What this workflow needs from the broadcast engine (``bot.broadcasting`` has the
    Telegram one). Both calls are idempotent per vacancy / broadcast."""

    async def announce(self, vacancy: Vacancy, target: GroupFilter) -> str:
        """Start broadcasting the vacancy to the target; returns the broadcast id."""
        ...

    async def retract(self, broadcast_id: str, vacancy: Vacancy, *, withdraw: bool) -> str | None:
        """Edit (``withdraw=False``) or delete the broadcast's delivered posts."""
        ...


OnClosed = Callable[[list[Vacancy]], Awaitable[None]]


class Outcome(StrEnum):
    done = "done"
    already = "already"  # someone (or this same press, replayed) did it before
    missing = "missing"
    not_yours = "not_yours"
    not_active = "not_active"
    failed = "failed"  # the broadcast could not be planned; pressing again retries


@dataclass(frozen=True, slots=True)
class Result:
    outcome: Outcome
    vacancy: Vacancy | None = None
    submission: Submission | None = None
    broadcast_id: str | None = None
    error: str | None = None


class Approvals:
    def __init__(
        self,
        vacancies: VacancyRepository,
        submissions: SubmissionRepository,
        broadcaster: Broadcaster,
        *,
        on_feed_closed: OnClosed | None = None,
        checker: PostChecker | None = None,
    ) -> None:
        self._checker = checker or PostChecker.load()
        self._vacancies = vacancies
        self._submissions = submissions
        self._broadcaster = broadcaster
        self._on_feed_closed = on_feed_closed

    async def submit(
        self, draft: VacancyDraft, recruiter_id: int, vacancy_id: str | None = None
    ) -> tuple[Vacancy, Submission]:
        vacancy_id = vacancy_id or await self._submissions.next_vacancy_id()
        existing = await self._submissions.get(vacancy_id)
        stored = await self._vacancies.get(vacancy_id)
        if existing is not None and stored is not None:
            return stored, existing  # the same submission, delivered again
        # The post checker: a held vacancy is kept, with its findings, for the recruiter to
        # fix or an admin to release (``jobfeed.compliance.release``).
        vacancy = self._checker.apply(draft.to_vacancy(vacancy_id, recruiter_id))
        submission = Submission(
            vacancy_id=vacancy_id,
            recruiter_id=recruiter_id,
            target=draft.target or GroupFilter(),
            submitted_at=vacancy.posted_at,
        )
        # The vacancy first: a submission never points at nothing.
        await self._vacancies.save(vacancy)
        await self._submissions.create(submission)
        log.info("Vacancy %s submitted by recruiter %s", vacancy_id, recruiter_id)
        return vacancy, submission

    async def approve(self, vacancy_id: str, actor: str) -> Result:
        held = await self._vacancies.get(vacancy_id)
        if held is not None and held.status is VacancyStatus.held:
            # Not decided: an admin releases it first (with a reason), then approves.
            why = held.compliance.summary() if held.compliance else ""
            return Result(
                Outcome.failed,
                held,
                await self._submissions.get(vacancy_id),
                error=f"held by the post checker: {why}",
            )
        submission, won = await self._submissions.claim_decision(
            vacancy_id, Decision.approved, actor
        )
        vacancy = await self._vacancies.get(vacancy_id)
        if submission is None or vacancy is None:
            return Result(Outcome.missing)
        if submission.decision is not Decision.approved:
            return Result(Outcome.already, vacancy, submission)
        if submission.broadcast_id is not None:
            return Result(Outcome.already, vacancy, submission, submission.broadcast_id)
        # We won the decision, or an earlier approval stopped (a crash, a planning error)
        # before its broadcast was recorded: finish it. ``announce`` is idempotent per
        # vacancy, so finishing twice still makes one broadcast.
        if vacancy.status is VacancyStatus.pending:
            vacancy = await self._vacancies.set_status(vacancy_id, VacancyStatus.active) or vacancy
        try:
            broadcast_id = await self._broadcaster.announce(vacancy, submission.target)
        except ValueError as exc:  # the engine's PlanError: e.g. the post is too long
            log.warning("Vacancy %s approved but not broadcast: %s", vacancy_id, exc)
            return Result(Outcome.failed, vacancy, submission, error=str(exc))
        await self._submissions.set_broadcast(vacancy_id, broadcast_id)
        log.info("Vacancy %s approved by %s: broadcast %s", vacancy_id, actor, broadcast_id)
        outcome = Outcome.done if won else Outcome.already
        return Result(outcome, vacancy, submission, broadcast_id)

    async def reject(self, vacancy_id: str, actor: str) -> Result:
        submission, won = await self._submissions.claim_decision(
            vacancy_id, Decision.rejected, actor
        )
        vacancy = await self._vacancies.get(vacancy_id)
        if submission is None or vacancy is None:
            return Result(Outcome.missing)
        if not won:
            return Result(Outcome.already, vacancy, submission)
        vacancy = await self._vacancies.set_status(vacancy_id, VacancyStatus.rejected) or vacancy
        log.info("Vacancy %s rejected by %s", vacancy_id, actor)
        return Result(Outcome.done, vacancy, submission)

    async def close(
        self, vacancy_id: str, *, recruiter_id: int | None, actor: str, withdraw: bool
    ) -> Result:
        """Close a filled vacancy: ``recruiter_id`` must be its recruiter's; None is an admin."""
        vacancy = await self._vacancies.get(vacancy_id)
        submission = await self._submissions.get(vacancy_id)
        if vacancy is None:
            return Result(Outcome.missing)
        if recruiter_id is not None and vacancy.recruiter_id != recruiter_id:
            return Result(Outcome.not_yours, vacancy, submission)
        if vacancy.status is VacancyStatus.closed:
            if submission is None or not _retraction_owed(submission):
                return Result(Outcome.already, vacancy, submission)
            # Closed, but its posts were never retracted (the retraction failed, or the
            # process stopped before it): finish that, or the posts stay live for good.
            retraction = await self._retract(submission, vacancy, withdraw=withdraw)
            log.info("Vacancy %s: retraction %s finished by %s", vacancy_id, retraction, actor)
            return Result(Outcome.done, vacancy, submission, retraction)
        if vacancy.status is not VacancyStatus.active:
            return Result(Outcome.not_active, vacancy, submission)
        vacancy = await self._vacancies.set_status(vacancy_id, VacancyStatus.closed) or vacancy
        retraction = None
        if submission is not None:
            await self._submissions.mark_closed(vacancy_id)
            if _retraction_owed(submission):
                retraction = await self._retract(submission, vacancy, withdraw=withdraw)
        elif self._on_feed_closed is not None:
            # A feed's vacancy: its posts belong to the feed's broadcasts, which edit or
            # withdraw them as that source is configured (``on_expiry``).
            await self._on_feed_closed([vacancy])
        log.info("Vacancy %s closed by %s (retraction %s)", vacancy_id, actor, retraction)
        return Result(Outcome.done, vacancy, submission, retraction)

    async def _retract(
        self, submission: Submission, vacancy: Vacancy, *, withdraw: bool
    ) -> str | None:
        """Retract the posts and record it; ``retract`` is idempotent per broadcast, so two
        closes racing here still make one retraction."""
        assert submission.broadcast_id is not None
        retraction = await self._broadcaster.retract(
            submission.broadcast_id, vacancy, withdraw=withdraw
        )
        await self._submissions.set_retraction(vacancy.id, retraction)
        return retraction


def _retraction_owed(submission: Submission) -> bool:
    return submission.broadcast_id is not None and submission.retracted_at is None
