"""Scam and spam in groups: removed where the bot is an administrator (else reported), the
sender warned once and then dealt with by the group's policy, the admins sent a report
with a one-tap restore. Never acts on administrators or on the bot's own posts.

The first check is the in-memory rules (``jobfeed.groupcare.scams``): a clean message
costs no request at all and goes on to the FAQ and the search.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram import Bot, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.filters import Filter
from aiogram.types import (
    CallbackQuery,
    ChatPermissions,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from handlers.answering import answer_press
from handlers.filters import InGroup, IsAdmin
from handlers.groupcare.admin import ADMIN_STATUSES
from handlers.groupcare.callbacks import RestoreCase
from jobfeed.groupcare.moderation import Action, Case, Moderation, Penalty, penalty_for
from jobfeed.groupcare.scams import Probe, Verdict
from jobfeed.groupcare.settings import GroupCareSettings, Policy
from jobfeed.texts import Texts

log = logging.getLogger(__name__)

# "Pass True for all permissions to lift restrictions from a user" (Bot API,
# restrictChatMember); the group's own defaults still apply.
ALLOWED = ChatPermissions(
    can_send_messages=True,
    can_send_audios=True,
    can_send_documents=True,
    can_send_photos=True,
    can_send_videos=True,
    can_send_video_notes=True,
    can_send_voice_notes=True,
    can_send_polls=True,
    can_send_other_messages=True,
    can_add_web_page_previews=True,
    can_react_to_messages=True,
    can_edit_tag=True,
    can_change_info=True,
    can_invite_users=True,
    can_pin_messages=True,
    can_manage_topics=True,
)
MUTED = ChatPermissions(can_send_messages=False)


def router() -> Router:
    r = Router(name="moderation")
    r.message.register(remove, InGroup(), Suspect())
    # A scam is often posted clean and edited afterwards.
    r.edited_message.register(remove, InGroup(), Suspect())
    r.callback_query.register(restore, RestoreCase.filter(), IsAdmin())
    return r


def probe(message: Message) -> Probe:
    entities = message.entities or message.caption_entities or []
    document = message.document
    return Probe(
        text=message.text or message.caption or "",
        picture=bool(message.photo)
        or bool(document and (document.mime_type or "").startswith("image/")),
        contact_card=message.contact is not None,
        mentions=sum(e.type in {"mention", "text_mention"} for e in entities),
        links=tuple(e.url for e in entities if e.type == "text_link" and e.url),
    )


class Suspect(Filter):
    """A member's message the rules take for a scam or spam; passes ``verdict``."""

    async def __call__(self, message: Message, moderation: Moderation) -> bool | dict[str, Any]:
        user = message.from_user
        if user is None or user.is_bot or message.sender_chat is not None:
            return False  # the bot, other bots, the group's channel or anonymous admins
        if message.is_automatic_forward:
            return False
        seen = probe(message)
        if moderation.suspect(seen) is None:
            return False
        return {"seen": seen}


async def remove(
    message: Message,
    seen: Probe,
    *,
    bot: Bot,
    moderation: Moderation,
    groupcare: GroupCareSettings,
    admin_ids: frozenset[int],
    texts: Texts,
    mute_hours: float,
) -> None:
    assert message.from_user is not None  # Suspect lets only members' messages through
    user, group = message.from_user, message.chat.id
    username = (await bot.me()).username or ""
    verdict = await moderation.verdict(seen, own=(f"t.me/{username.lower()}",))
    care = await groupcare.of(group)
    if verdict is None or care.policy is Policy.off or user.id in admin_ids:
        raise SkipHandler  # let the FAQ and the search see it
    if (await bot.get_chat_member(group, user.id)).status in ADMIN_STATUSES:
        raise SkipHandler
    name = user.full_name
    action, penalty = Action.reported, Penalty.none
    if await _deleted(bot, message):
        action = Action.deleted
        strikes = await moderation.strike(group, user.id)
        penalty = await _punish(bot, message, penalty_for(care.policy, strikes), mute_hours)
        await _tell_group(
            bot, texts, message, verdict, policy=care.policy, penalty=penalty, hours=mute_hours
        )
    case = await moderation.open_case(
        group=group,
        group_title=message.chat.title or "",
        member=user.id,
        member_name=name,
        message=message.message_id,
        text=message.text or message.caption or "",
        verdict=verdict,
        action=action,
        penalty=penalty,
    )
    await _report(bot, texts, admin_ids, case)


async def _deleted(bot: Bot, message: Message) -> bool:
    try:
        return await bot.delete_message(message.chat.id, message.message_id)
    except TelegramBadRequest as exc:
        log.info("Could not delete message in %s: %s", message.chat.id, exc.message)
        return False


async def _punish(bot: Bot, message: Message, penalty: Penalty, hours: float) -> Penalty:
    assert message.from_user is not None
    group, member = message.chat.id, message.from_user.id
    until = datetime.now(UTC) + timedelta(hours=hours)
    try:
        if penalty is Penalty.muted:
            await bot.restrict_chat_member(group, member, MUTED, until_date=until)
        elif penalty is Penalty.banned:
            await bot.ban_chat_member(group, member)
    except TelegramBadRequest as exc:
        log.warning("Could not restrict member in %s: %s", group, exc.message)
        return Penalty.warned  # removed and warned all the same
    return penalty


async def _tell_group(
    bot: Bot,
    texts: Texts,
    message: Message,
    verdict: Verdict,
    *,
    policy: Policy,
    penalty: Penalty,
    hours: float,
) -> None:
    assert message.from_user is not None
    name = message.from_user.full_name
    if penalty is Penalty.warned:
        text = texts.render("groupcare.warned", name=name, why=_why(verdict), policy=policy,
                            hours=_hours(hours))  # fmt: skip
    elif penalty in {Penalty.muted, Penalty.banned}:
        text = texts.render("groupcare.restricted", name=name,
                            banned=penalty is Penalty.banned, hours=_hours(hours))  # fmt: skip
    else:
        return
    with contextlib.suppress(TelegramAPIError):
        await bot.send_message(message.chat.id, text)


def _why(verdict: Verdict) -> str:
    return {
        "fee": "涉及向求职者收费",
        "contact": "含有群外联系方式",
        "contact_card": "是联系人名片",
        "link": "含有其他群的链接",
        "qr": "含有二维码",
        "mentions": "群发@成员",
    }.get(verdict.kind, "违反群规")


def _hours(hours: float) -> str:
    return f"{hours:g}"


async def _report(bot: Bot, texts: Texts, admin_ids: frozenset[int], case: Case) -> None:
    deleted = case.action is Action.deleted
    button = InlineKeyboardButton(
        text=texts.render("groupcare.restore_button", deleted=deleted),
        callback_data=RestoreCase(case=case.number).pack(),
    )
    markup = InlineKeyboardMarkup(inline_keyboard=[[button]])
    text = texts.render("groupcare.report", case=case, bot_admin=deleted)
    for admin in sorted(admin_ids):
        try:
            await bot.send_message(admin, text, reply_markup=markup)
        except TelegramAPIError as exc:
            log.warning("Moderation report %s not sent to an admin: %s", case.number, exc)


async def restore(
    query: CallbackQuery,
    callback_data: RestoreCase,
    bot: Bot,
    moderation: Moderation,
    texts: Texts,
) -> None:
    case, first = await moderation.restore(callback_data.case, query.from_user.id)
    if case is None or not first:
        await answer_press(query, texts.render("groupcare.restored_already"))
        return
    if case.action is Action.deleted:
        text = texts.render("groupcare.restored_in_group", name=case.member_name, text=case.text)
        with contextlib.suppress(TelegramAPIError):
            await bot.send_message(case.group, text)
    try:
        if case.penalty is Penalty.muted:
            await bot.restrict_chat_member(case.group, case.member, ALLOWED)
        elif case.penalty is Penalty.banned:
            await bot.unban_chat_member(case.group, case.member, only_if_banned=True)
    except TelegramAPIError as exc:
        log.warning("Could not lift the penalty of case %s: %s", case.number, exc)
    await answer_press(query, texts.render("groupcare.restored_press"))
    if isinstance(query.message, Message) and query.message.html_text:
        note = texts.render("groupcare.restored_note", by=query.from_user.full_name)
        with contextlib.suppress(TelegramBadRequest):
            await query.message.edit_text(f"{query.message.html_text}\n\n{note}")
