"""Turning a request into a plan: which groups, which post; edits and withdrawals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from jobfeed.broadcast.models import Action, Broadcast, Post, Target
from jobfeed.broadcast.plans import BroadcastError, BroadcastPlans, PlanItem
from jobfeed.broadcast.sender import PostCheck
from jobfeed.groups import GroupRepository
from jobfeed.models import Group, Vacancy, VacancyStatus
from jobfeed.vacancies import VacancyRepository


class PlanError(ValueError):
    """The request cannot become a broadcast; ``str()`` says why, precisely."""


class BroadcastPlanner:
    def __init__(
        self,
        store: BroadcastPlans,
        groups: GroupRepository,
        vacancies: VacancyRepository,
        check: PostCheck,
    ) -> None:
        self._store = store
        self._groups = groups
        self._vacancies = vacancies
        self._check = check

    async def preview(self, target: Target) -> list[Group]:
        """The groups a broadcast with this target would go to, right now."""
        return await self._groups.select(target)

    async def check(self, vacancy_ids: Sequence[str]) -> None:
        """Raise ``PlanError`` as ``create`` would for these vacancies (for a dry run)."""
        await self._open_vacancies(vacancy_ids)

    async def create(
        self,
        vacancy_ids: Sequence[str],
        target: Target,
        *,
        scheduled_at: datetime | None = None,
        key: str | None = None,
    ) -> Broadcast:
        """Plan a broadcast; a repeated call with the same idempotency ``key`` returns the
        broadcast the first one made, even if its vacancies have closed since."""
        if key is not None and (found := await self._store.by_key(key)) is not None:
            return found
        vacancies = await self._open_vacancies(vacancy_ids)
        post = self._post(vacancies)
        groups = await self._groups.select(target)
        return await self._store.create(
            plan=[PlanItem(group.address) for group in groups],
            post=post,
            vacancy_ids=[v.id for v in vacancies],
            target=target,
            scheduled_at=scheduled_at,
            key=key,
        )

    async def edit(self, broadcast_id: str, *, key: str | None = None) -> Broadcast:
        """Re-render an earlier broadcast's post from its vacancies as they are now and
        replace it in every group where it was delivered."""
        parent = await self._finished_send(broadcast_id, "edit")
        vacancies = await self._vacancies.get_many(parent.vacancy_ids)
        if len(vacancies) != len(parent.vacancy_ids):
            raise PlanError("a vacancy of this broadcast no longer exists")
        post = self._post(vacancies)
        return await self._store.create(
            plan=await self._store.delivered_posts(broadcast_id),
            post=post,
            action=Action.edit,
            vacancy_ids=parent.vacancy_ids,
            target=parent.target,
            parent_id=broadcast_id,
            key=key,
        )

    async def withdraw(self, broadcast_id: str, *, key: str | None = None) -> Broadcast:
        """Delete an earlier broadcast's post in every group where it was delivered."""
        parent = await self._finished_send(broadcast_id, "withdraw")
        return await self._store.create(
            plan=await self._store.delivered_posts(broadcast_id),
            post=None,
            action=Action.delete,
            vacancy_ids=parent.vacancy_ids,
            target=parent.target,
            parent_id=broadcast_id,
            key=key,
        )

    async def _finished_send(self, broadcast_id: str, verb: str) -> Broadcast:
        parent = await self._store.get(broadcast_id)
        if parent is None:
            raise LookupError("no such broadcast")
        if parent.action is not Action.send:
            raise BroadcastError(f"only a sent broadcast can be the subject of {verb}")
        if not parent.status.finished:
            raise BroadcastError(
                f"cannot {verb} a broadcast that is {parent.status.value}: "
                "cancel it and let it finish first"
            )
        return parent

    def _post(self, vacancies: Sequence[Vacancy]) -> Post:
        try:
            post = Post.of(vacancies)
            self._check.check(post)
        except ValueError as exc:
            raise PlanError(str(exc)) from None
        return post

    async def _open_vacancies(self, ids: Sequence[str]) -> list[Vacancy]:
        if not ids:
            raise PlanError("name at least one vacancy")
        if len(set(ids)) != len(ids):
            raise PlanError("a vacancy is named twice")
        found = {v.id: v for v in await self._vacancies.get_many(ids)}
        missing = [i for i in ids if i not in found]
        if missing:
            raise PlanError(f"no such vacancy: {', '.join(missing)}")
        held = [found[i] for i in ids if found[i].status is VacancyStatus.held]
        if held:
            raise PlanError(held_message(held))
        closed = [i for i in ids if not found[i].is_open()]
        if closed:
            raise PlanError(
                f"vacancy not open (closed, expired or not approved): {', '.join(closed)}"
            )
        return [found[i] for i in ids]


def held_message(held: Sequence[Vacancy]) -> str:
    """Why held vacancies cannot be broadcast, naming the post checker's findings."""
    return "held by the post checker: " + "; ".join(
        f"{v.id}: {v.compliance.summary() if v.compliance else 'held'}" for v in held
    )
