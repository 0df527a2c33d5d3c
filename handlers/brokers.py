"""Labour brokers (劳务经纪人) in chat: ``/broker`` to apply (admins approve, as for
recruiters) and, once approved, to see their standing and links; ``/roster`` for the
XLSX of the workers they brought (phones masked); and the referral middleware that
takes ``ref_<code>`` off a ``/start`` payload, attributing the person first-touch.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import Any

from aiogram import BaseMiddleware, Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    TelegramObject,
)
from pydantic import Field

from handlers.answering import answer_press
from handlers.deeplinks import split_ref, with_ref
from handlers.filters import InPrivate, IsAdmin
from handlers.flood import patiently
from handlers.identity import CHANNEL
from handlers.staff_callbacks import drop_buttons
from jobfeed.applications.repository import ApplicationRepository
from jobfeed.brokers.models import Broker, BrokerStatus
from jobfeed.brokers.repository import BrokerRepository
from jobfeed.brokers.standing import standing
from jobfeed.groups import GroupRepository
from jobfeed.links import Links
from jobfeed.models import utcnow
from jobfeed.placements.ledger import LedgerFilter
from jobfeed.placements.reports import Reports
from jobfeed.sheets import to_xlsx
from jobfeed.texts import Texts

log = logging.getLogger(__name__)


class BrokerChoice(StrEnum):
    approve = "ok"
    reject = "no"


class BrokerVerdict(CallbackData, prefix="bk"):
    verdict: BrokerChoice
    person: int = Field(gt=0)


def router() -> Router:
    r = Router(name="brokers")
    r.callback_query.register(verdict, BrokerVerdict.filter(), IsAdmin())
    r.message.register(broker_command, Command("broker"), InPrivate())
    r.message.register(roster, Command("roster"), InPrivate())
    r.message.register(invites, Command("invite"), InPrivate())
    r.chat_member.register(member_joined)
    return r


class Referrals(BaseMiddleware):
    """``/start ref_<code>[_<payload>]``: attribute the person to the broker (first touch,
    never the broker themselves), then let the features see ``/start [<payload>]``."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, Message) or event.from_user is None or not event.text:
            return await handler(event, data)
        command, _, payload = event.text.partition(" ")
        if command != "/start" or not payload.startswith("ref_"):
            return await handler(event, data)
        found = split_ref(payload.strip())
        if found is None:
            return await handler(event, data)
        code, rest = found
        brokers: BrokerRepository = data["brokers"]
        await brokers.attribute(event.from_user.id, code, utcnow())
        text = f"/start {rest}" if rest else "/start"
        stripped = event.model_copy(update={"text": text}).as_(data["bot"])
        return await handler(stripped, data)


async def personal_links(
    broker: Broker, links: Links, public_base_url: str | None
) -> tuple[str, str | None]:
    """The broker's link into the bot and, when the site's address is known, to the jobs."""
    base = (await links.resume_link()).partition("?start=")[0]
    page = f"{public_base_url}/jobs?ref={broker.code}" if public_base_url else None
    return with_ref(base, broker.code), page


async def broker_command(
    message: Message,
    command: CommandObject,
    bot: Bot,
    *,
    texts: Texts,
    brokers: BrokerRepository,
    admin_ids: frozenset[int],
    reports: Reports,
    applications: ApplicationRepository,
    links: Links,
    public_base_url: str | None,
    broker_page_link: Callable[[str], str | None],
) -> None:
    assert message.from_user is not None  # private chat
    person = message.from_user.id
    parts = (command.args or "").split()
    if not parts:
        current = await brokers.get(person)
        if current is None or current.status is BrokerStatus.rejected:
            await message.answer(texts.render("brokers.usage"))
        elif not current.approved:
            await message.answer(texts.render("brokers.pending"))
        else:
            found = await standing(current, reports, applications, utcnow())
            bot_link, page_link = await personal_links(current, links, public_base_url)
            await message.answer(
                texts.render(
                    "brokers.standing",
                    s=found,
                    months=reports.placements.months,
                    rule_yuan=reports.rule.yuan,
                    rule_months=reports.rule.months,
                    bot_link=bot_link,
                    page_link=page_link,
                    own_page=broker_page_link(current.code),
                ),
                disable_web_page_preview=True,
            )
        return
    if len(parts) != 3 or any(len(p) > 40 for p in parts):
        await message.answer(texts.render("brokers.usage"))
        return
    broker = await brokers.apply(person, *parts)
    if broker.approved:
        await message.answer(texts.render("brokers.decided", broker=broker, approved=True))
        return
    await message.answer(texts.render("brokers.applied", broker=broker))
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=texts.render(f"brokers.button_{name}"),
                    callback_data=BrokerVerdict(verdict=choice, person=person).pack(),
                )
                for name, choice in (
                    ("approve", BrokerChoice.approve),
                    ("reject", BrokerChoice.reject),
                )
            ]
        ]
    )
    text = texts.render("brokers.request", broker=broker)
    for admin in sorted(admin_ids):
        await _tell(bot, admin, text, markup)


async def _tell(
    bot: Bot, person: int, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    try:
        await patiently(
            lambda: bot.send_message(
                person, text, reply_markup=markup, disable_web_page_preview=True
            )
        )
    except Exception as exc:  # someone who never opened the chat cannot be written to
        log.warning("Broker notice not delivered: %s", exc)


async def verdict(
    query: CallbackQuery,
    callback_data: BrokerVerdict,
    bot: Bot,
    *,
    texts: Texts,
    brokers: BrokerRepository,
    links: Links,
    public_base_url: str | None,
) -> None:
    current = await brokers.get(callback_data.person)
    if current is None:
        await answer_press(query, texts.render("applications.button_invalid"))
        return
    if current.status is not BrokerStatus.pending:
        await answer_press(query, texts.render("brokers.already_decided", broker=current))
        await drop_buttons(query)
        return
    approve = callback_data.verdict is BrokerChoice.approve
    decided = await brokers.decide(current.person, approve)
    assert decided is not None
    await answer_press(query, texts.render("brokers.decided", broker=decided, approved=approve))
    message = await drop_buttons(query)
    if message is not None:
        await message.answer(texts.render("brokers.decided", broker=decided, approved=approve))
    if approve:
        bot_link, page_link = await personal_links(decided, links, public_base_url)
        text = texts.render(
            "brokers.approved", broker=decided, bot_link=bot_link, page_link=page_link
        )
    else:
        text = texts.render("brokers.rejected", broker=decided)
    await _tell(bot, decided.person, text)


async def roster(
    message: Message, *, texts: Texts, brokers: BrokerRepository, reports: Reports
) -> None:
    """The broker's own ledger rows as XLSX: their workers, phones masked (not an admin)."""
    assert message.from_user is not None  # private chat
    broker = await brokers.get(message.from_user.id)
    if broker is None or not broker.approved:
        await message.answer(texts.render("brokers.not_broker"))
        return
    table = await reports.ledger(LedgerFilter(), masked=True, broker=broker.code)
    body = to_xlsx(table.title, table.headers, table.rows)
    document = BufferedInputFile(body, filename=f"roster-{broker.code}.xlsx")
    await message.answer_document(
        document, caption=texts.render("brokers.roster_caption", count=table.size)
    )


INVITE_GROUPS = 10  # links made per /invite


async def invites(
    message: Message, bot: Bot, *, texts: Texts, brokers: BrokerRepository, groups: GroupRepository
) -> None:
    """Per-broker invite links of the groups of the broker's area (the bot must be an
    administrator there): a member who joins through one is the broker's."""
    assert message.from_user is not None  # private chat
    broker = await brokers.get(message.from_user.id)
    if broker is None or not broker.approved:
        await message.answer(texts.render("brokers.not_broker"))
        return
    made = await brokers.invite_links(broker.code)
    local = [
        g
        for g in await groups.all()
        if g.channel == CHANNEL
        and isinstance(g.chat_id, int)
        and broker.area in " ".join(filter(None, (g.title, g.city, g.province)))
    ][:INVITE_GROUPS]
    shown: list[tuple[str, str]] = []
    for group in local:
        address = str(group.address)
        link = made.get(address)
        if link is None:
            try:
                link = await _invite_link(bot, group.chat_id, broker.code)
            except TelegramAPIError as exc:  # not an administrator there
                log.info("No invite link for a group of area %s: %s", broker.area, exc.message)
                continue
            await brokers.add_invite_link(broker.code, address, link)
        shown.append((group.title, link))
    await message.answer(
        texts.render("brokers.invites", links=shown), disable_web_page_preview=True
    )


async def member_joined(event: ChatMemberUpdated, brokers: BrokerRepository) -> None:
    """chat_member: someone joined a group; through a broker's link, they are the broker's."""
    link = event.invite_link
    if link is None or event.new_chat_member.status not in ("member", "restricted"):
        return
    if event.old_chat_member.status not in ("left", "kicked"):
        return
    await brokers.joined_through(event.new_chat_member.user.id, link.invite_link, utcnow())


async def _invite_link(bot: Bot, chat_id: int | str, code: str) -> str:
    async def create() -> str:
        made = await bot.create_chat_invite_link(chat_id, name=f"经纪人{code}")
        return made.invite_link

    return await patiently(create)
