"""One ``Notifier`` for the whole product that hands each notice to the right channel.

Recruiters and admins work in the first channel (its notifier takes cards, decisions and
alerts); an applicant hears about their application in the channel they applied through
(the application's ``source``), when that channel registered a notifier with ``add``.
"""

from __future__ import annotations

from collections.abc import Sequence

from jobfeed.applications.models import Application
from jobfeed.notify import Decision, Delivery, Notice, Notifier, Person, StatusChanged


class ChannelNotifiers:
    def __init__(self, first: Notifier) -> None:
        self._first = first
        self._by_source: dict[str, Notifier] = {}

    def add(self, source: str, notifier: Notifier) -> None:
        self._by_source[source] = notifier

    def _for(self, notice: Notice) -> Notifier:
        if isinstance(notice, StatusChanged):
            return self._by_source.get(notice.application.source, self._first)
        return self._first

    async def tell(self, person: Person, notice: Notice) -> bool:
        return await self._for(notice).tell(person, notice)

    async def deliver(self, person: Person, notice: Notice) -> Delivery:
        return await self._for(notice).deliver(person, notice)

    async def deliver_card(self, application: Application) -> bool:
        return await self._first.deliver_card(application)

    async def forget_cards(self, numbers: Sequence[int]) -> None:
        await self._first.forget_cards(numbers)

    async def ask_admins(self, decision: Decision) -> None:
        await self._first.ask_admins(decision)
