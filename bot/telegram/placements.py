"""The ``PlacementNotifier`` port (``jobfeed.placements.checkins``) in Telegram: the words
and buttons of placements and check-ins, sent through the one notifier."""

from __future__ import annotations

from collections.abc import Sequence

from bot.telegram.channel import TELEGRAM
from bot.telegram.notifier import TelegramNotifier
from handlers.batches import confirm_keyboard
from handlers.placements import checkin_keyboard
from jobfeed.notify import Delivery, Person
from jobfeed.placements.batches import Batch
from jobfeed.placements.models import Placement
from jobfeed.texts import Texts


class TelegramPlacementNotifier:
    def __init__(
        self,
        notifier: TelegramNotifier,
        texts: Texts,
        admin_ids: frozenset[int],
        months: Sequence[int],
    ) -> None:
        self._notifier = notifier
        self._texts = texts
        self._admin_ids = admin_ids
        self._months = tuple(months)

    async def placed(self, person: Person, placement: Placement) -> Delivery:
        if not _reaches(placement):
            return Delivery.blocked
        text = self._texts.render("placements.placed", p=placement, months=self._months)
        return await self._notifier.send_text(person, text, about="Placed")

    async def ask(self, person: Person, placement: Placement, months: int) -> Delivery:
        if not _reaches(placement):  # the recruiter is reminded at once: asked by phone
            return Delivery.blocked
        text = self._texts.render("placements.ask", p=placement, months=months)
        markup = checkin_keyboard(self._texts, placement, months)
        return await self._notifier.send_text(person, text, markup, about="Checkin")

    async def remind(self, placement: Placement, months: int) -> Delivery:
        text = self._texts.render("placements.remind", p=placement, months=months)
        recruiter = placement.record.recruiter_id
        people = [recruiter] if recruiter is not None else sorted(self._admin_ids)
        results = [
            await self._notifier.send_text(p, text, about="CheckinReminder") for p in people
        ]
        return Delivery.sent if Delivery.sent in results else (results or [Delivery.failed])[0]

    async def batch_details(self, person: Person, batch: Batch, placement: Placement) -> Delivery:
        if not _reaches(placement):
            return Delivery.blocked
        text = self._texts.render("placements.batch_details", b=batch, p=placement)
        markup = confirm_keyboard(self._texts, batch, placement.number)
        return await self._notifier.send_text(person, text, markup, about="BatchDetails")

    async def batch_reminder(self, person: Person, batch: Batch, placement: Placement) -> Delivery:
        if not _reaches(placement):
            return Delivery.blocked
        text = self._texts.render("placements.batch_reminder", b=batch)
        return await self._notifier.send_text(person, text, about="BatchReminder")


def _reaches(placement: Placement) -> bool:
    """Only a worker who applied in Telegram has a chat here (a web applicant's number is
    a phone's hash, an Official Account follower's is not a Telegram id)."""
    return placement.record.source == TELEGRAM
