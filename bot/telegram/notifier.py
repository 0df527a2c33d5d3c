"""The ``Notifier`` port (``jobfeed.notify``) in Telegram: the words of each notice, the
buttons of each decision, one way to send them.

Every message goes the same way (``_send``): a 429 is waited out (``patiently``; while an
update is handled, ``bot.telegram.handling.ReplyGuard`` also numbers the call so a retried
update does not send it twice), and a person who cannot be reached is logged by what
they were to be told, never by who they are or what the text says.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNotFound,
)
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram.cards import CardDelivery
from handlers.alerts.keyboards import alert_markup
from handlers.flood import patiently
from handlers.posts import post_text
from handlers.staff_callbacks import RecruiterVerdict, VacancyVerdict, Verdict
from jobfeed.applications.models import Application
from jobfeed.applications.repository import ApplicationRepository
from jobfeed.links import Links
from jobfeed.notify import (
    AlertDigest,
    CandidatesDigest,
    Decision,
    Delivery,
    Notice,
    Person,
    RecruiterDecided,
    RecruiterRequest,
    StatusChanged,
    VacancyAlert,
    VacancyDecided,
    VacancySubmission,
)
from jobfeed.roles import RecruiterStatus
from jobfeed.texts import Texts

log = logging.getLogger(__name__)


class TelegramNotifier:
    def __init__(
        self,
        bot: Bot,
        texts: Texts,
        applications: ApplicationRepository,
        admin_ids: frozenset[int],
        *,
        links: Links,
    ) -> None:
        self._bot = bot
        self._links = links
        self._texts = texts
        self._admin_ids = admin_ids
        self.cards = CardDelivery(bot, texts, applications, admin_ids)

    async def tell(self, person: Person, notice: Notice) -> bool:
        return await self.deliver(person, notice) is Delivery.sent

    async def deliver(self, person: Person, notice: Notice) -> Delivery:
        about = type(notice).__name__
        match notice:
            case VacancyAlert(vacancy=vacancy):
                text = self._texts.render("alerts.alert", vacancy=vacancy)
                markup = await alert_markup(self._links, self._texts, [vacancy])
                return await self._deliver(person, text, markup, about=about)
            case AlertDigest(vacancies=vacancies):
                text = self._texts.render("alerts.digest", vacancies=vacancies)
                markup = await alert_markup(self._links, self._texts, vacancies)
                return await self._deliver(person, text, markup, about=about)
        return await self._deliver(person, self._words(notice), about=about)

    async def deliver_card(self, application: Application) -> bool:
        if not await self.cards.deliver(application):
            return False
        # Telegram is reachable again: send the cards it kept back earlier.
        await self.cards.deliver_pending()
        return True

    async def forget_cards(self, numbers: Sequence[int]) -> None:
        await self.cards.scrub(numbers)

    async def ask_admins(self, decision: Decision) -> None:
        text, markup = self._request(decision)
        for admin_id in sorted(self._admin_ids):
            # An admin who never opened a chat with the bot cannot be written to first.
            await self._send(admin_id, text, markup, about=type(decision).__name__)

    def _words(self, notice: Notice) -> str:
        texts = self._texts
        match notice:
            case RecruiterDecided(recruiter=recruiter, approved=approved):
                if recruiter.status is RecruiterStatus.revoked:
                    name = "recruiters.revoked"
                else:
                    name = "recruiters.approved" if approved else "recruiters.rejected"
                return texts.render(name, recruiter=recruiter)
            case VacancyDecided(vacancy=vacancy, approved=True, groups=groups):
                return texts.render(
                    "admins.recruiter_vacancy_approved", vacancy=vacancy, groups=groups
                )
            case VacancyDecided(vacancy=vacancy):
                return texts.render("admins.recruiter_vacancy_rejected", vacancy=vacancy)
            case StatusChanged(application=application):
                return texts.render("applications.status_changed", app=application)
            case CandidatesDigest(vacancies=vacancies):
                return texts.render("matching.candidates_digest", rows=vacancies)
            case VacancyAlert() | AlertDigest():
                raise ValueError("alerts have buttons: see deliver()")

    def _request(self, decision: Decision) -> tuple[str, InlineKeyboardMarkup]:
        texts = self._texts
        match decision:
            case RecruiterRequest(recruiter=recruiter):
                text = texts.render("admins.recruiter_applied", recruiter=recruiter)
                approve, reject = (
                    RecruiterVerdict(
                        verdict=verdict, user_id=recruiter.user_id, version=recruiter.version
                    ).pack()
                    for verdict in (Verdict.approve, Verdict.reject)
                )
                approve_name = "admins.button_approve_recruiter"
            case VacancySubmission() as submitted:
                vacancy = submitted.vacancy
                header = texts.render(
                    "admins.vacancy_submitted",
                    vacancy=vacancy,
                    name=submitted.by_name,
                    user_id=submitted.by,
                    target=texts.render("posting.target", filter=submitted.target),
                    groups=submitted.groups,
                )
                text = header + "\n\n" + post_text(texts, submitted.post)
                approve, reject = (
                    VacancyVerdict(verdict=verdict, vacancy_id=vacancy.id).pack()
                    for verdict in (Verdict.approve, Verdict.reject)
                )
                approve_name = "admins.button_approve_vacancy"
        buttons = [
            InlineKeyboardButton(text=texts.render(approve_name), callback_data=approve),
            InlineKeyboardButton(text=texts.render("admins.button_reject"), callback_data=reject),
        ]
        return text, InlineKeyboardMarkup(inline_keyboard=[buttons])

    async def send_text(
        self, person: Person, text: str, markup: InlineKeyboardMarkup | None = None, *, about: str
    ) -> Delivery:
        """Another feature's own words and buttons (placements), sent the one way."""
        return await self._deliver(person, text, markup, about=about)

    async def _send(
        self,
        chat_id: int,
        text: str,
        markup: InlineKeyboardMarkup | None = None,
        *,
        about: str,
    ) -> bool:
        return await self._deliver(chat_id, text, markup, about=about) is Delivery.sent

    async def _deliver(
        self,
        chat_id: int,
        text: str,
        markup: InlineKeyboardMarkup | None = None,
        *,
        about: str,
    ) -> Delivery:
        try:
            await patiently(lambda: self._bot.send_message(chat_id, text, reply_markup=markup))
        except (TelegramForbiddenError, TelegramNotFound) as exc:
            log.warning("%s not delivered to a person, for good: %s", about, exc.message)
            return Delivery.blocked
        except TelegramAPIError as exc:
            gone = isinstance(exc, TelegramBadRequest) and "chat not found" in exc.message
            log.warning("%s not delivered to a person: %s", about, exc.message)
            return Delivery.blocked if gone else Delivery.failed
        return Delivery.sent
