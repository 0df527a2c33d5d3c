"""The ``Notifier`` port for applicants who applied through the Official Account: the new
status of their application, as a customer-service message while WeChat allows one (48
hours after their last message), else held for their next message (``Followers.hold``).

Cards, admins' decisions and alerts stay with the channel recruiters and admins use
(``bot.notifying.ChannelNotifiers`` routes only what concerns an OA applicant here).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.wechat.oa.customer_service import CustomerService, Sent
from bot.wechat.oa.followers import Followers
from jobfeed.applications.models import Application
from jobfeed.notify import Decision, Delivery, Notice, Person, StatusChanged
from jobfeed.texts import Texts

log = logging.getLogger(__name__)


class OaNotifier:
    def __init__(self, texts: Texts, followers: Followers, service: CustomerService) -> None:
        self._texts = texts
        self._followers = followers
        self._service = service

    async def tell(self, person: Person, notice: Notice) -> bool:
        return await self.deliver(person, notice) is Delivery.sent

    async def deliver(self, person: Person, notice: Notice) -> Delivery:
        if not isinstance(notice, StatusChanged):
            log.info("%s has no words in the Official Account", type(notice).__name__)
            return Delivery.failed
        openid = await self._followers.openid(person)
        if openid is None:
            return Delivery.blocked
        text = self._texts.render("wechat_oa.status_changed", app=notice.application)
        sent = await self._service.send_text(openid, text)
        if sent is Sent.sent:
            return Delivery.sent
        # Out of WeChat's window, unfollowed or failing: their next message gets it.
        await self._followers.hold(person, text)
        log.info("A status change waits for the applicant's next message: %s", sent.value)
        return Delivery.failed

    async def deliver_card(self, application: Application) -> bool:
        raise NotImplementedError("cards go to recruiters through their own channel")

    async def forget_cards(self, numbers: Sequence[int]) -> None:
        raise NotImplementedError("cards go to recruiters through their own channel")

    async def ask_admins(self, decision: Decision) -> None:
        raise NotImplementedError("admins are asked through their own channel")
