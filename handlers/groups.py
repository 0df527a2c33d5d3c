"""The group registry: the bot joining, leaving and migrating groups; admins tagging them."""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.filters import (
    JOIN_TRANSITION,
    LEAVE_TRANSITION,
    ChatMemberUpdatedFilter,
    Command,
    CommandObject,
)
from aiogram.types import ChatMemberUpdated, Message
from pydantic import ValidationError

from handlers.filters import InGroup, IsAdmin, Magic
from jobfeed.groups import GroupRepository
from jobfeed.models import GroupTags
from jobfeed.texts import Texts

log = logging.getLogger(__name__)


def router() -> Router:
    r = Router(name="groups")
    r.my_chat_member.filter(InGroup())
    r.my_chat_member.register(bot_joined, ChatMemberUpdatedFilter(JOIN_TRANSITION))
    r.my_chat_member.register(bot_left, ChatMemberUpdatedFilter(LEAVE_TRANSITION))
    r.message.register(migrated, Magic(F.migrate_to_chat_id))
    r.message.register(migrated_here, Magic(F.migrate_from_chat_id))
    r.message.register(tag_group, Command("tag"), InGroup(), IsAdmin())
    r.message.register(admins_only, Command("tag"), InGroup())
    return r


async def bot_joined(event: ChatMemberUpdated, groups: GroupRepository) -> None:
    group = await groups.joined(event.chat.id, event.chat.title or "")
    log.info("Joined group %s (%s)", group.chat_id, group.kind.value)


async def bot_left(event: ChatMemberUpdated, groups: GroupRepository) -> None:
    reason = "kicked" if event.new_chat_member.status == "kicked" else "left"
    await groups.deactivate(event.chat.id, reason)
    log.info("Removed from group %s (%s)", event.chat.id, reason)


async def migrated(message: Message, groups: GroupRepository) -> None:
    assert message.migrate_to_chat_id is not None  # guaranteed by the filter
    await groups.migrate(message.chat.id, message.migrate_to_chat_id)
    log.info("Group %s migrated to %s", message.chat.id, message.migrate_to_chat_id)


async def migrated_here(message: Message, groups: GroupRepository) -> None:
    assert message.migrate_from_chat_id is not None  # guaranteed by the filter
    await groups.migrate(message.migrate_from_chat_id, message.chat.id)


def parse_tags(args: str) -> GroupTags:
    """``kind=community city=天津 industries=铝业,建筑`` -> GroupTags (raises ValueError)."""
    values: dict[str, object] = {}
    for part in args.replace("＝", "=").split():
        name, sep, value = part.partition("=")
        if not sep or not value:
            raise ValueError(f"「{part}」应写成 名称=值")
        if name == "industries":
            values[name] = [v for v in value.replace("，", ",").split(",") if v]
        else:
            values[name] = value
    if not values:
        raise ValueError("没有给出任何标签")
    try:
        return GroupTags.model_validate(values)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise ValueError(f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}") from None


async def tag_group(
    message: Message, command: CommandObject, groups: GroupRepository, texts: Texts
) -> None:
    try:
        tags = parse_tags(command.args or "")
    except ValueError as exc:
        await message.reply(texts.render("groups.tag_invalid", reason=str(exc)))
        return
    group = await groups.tag(message.chat.id, tags)
    if group is None:
        group = await groups.joined(message.chat.id, message.chat.title or "")
        group = await groups.tag(message.chat.id, tags) or group
    await message.reply(texts.render("groups.tagged", group=group))


async def admins_only(message: Message, texts: Texts) -> None:
    await message.reply(texts.render("groups.admins_only"))
