"""Group membership as the Bot API answers it: administrators, restricting, banning, and
deleting members' messages only where the bot is an administrator."""

from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import ChatPermissions

from devkit.telegram import TelegramSimulator

from .conftest import GROUP, USER

ADMIN_GROUP = -1009876543210
OWNER = 77


async def test_members_admins_and_restrictions(bot: Bot, sim: TelegramSimulator) -> None:
    sim.add_chat(ADMIN_GROUP, title="管理群", bot_is_admin=True)
    sim.set_member(ADMIN_GROUP, OWNER, "creator")
    admins = await bot.get_chat_administrators(ADMIN_GROUP)
    assert {a.status for a in admins} == {"creator", "administrator"}
    assert (await bot.get_chat_member(ADMIN_GROUP, USER)).status == "member"

    muted = ChatPermissions(can_send_messages=False)
    await bot.restrict_chat_member(ADMIN_GROUP, USER, muted, until_date=2_000_000_000)
    member = await bot.get_chat_member(ADMIN_GROUP, USER)
    assert member.status == "restricted" and member.until_date is not None
    with pytest.raises(TelegramBadRequest, match="user is an administrator of the chat"):
        await bot.restrict_chat_member(ADMIN_GROUP, OWNER, muted)
    with pytest.raises(TelegramBadRequest, match="not enough rights"):
        await bot.restrict_chat_member(GROUP, USER, muted)  # the bot is no admin there

    await bot.ban_chat_member(ADMIN_GROUP, USER)
    assert sim.status_of(ADMIN_GROUP, USER) == "kicked"
    await bot.unban_chat_member(ADMIN_GROUP, USER, only_if_banned=True)
    assert sim.status_of(ADMIN_GROUP, USER) == "left"
    assert [r.method for r in sim.restricts] == [
        "restrictChatMember",
        "banChatMember",
        "unbanChatMember",
    ]


async def test_members_messages_are_deleted_only_by_an_admin_bot(
    bot: Bot, sim: TelegramSimulator
) -> None:
    sim.add_chat(ADMIN_GROUP, title="管理群", bot_is_admin=True)
    here = sim.user_message(GROUP, USER, "你好")["message"]["message_id"]
    there = sim.user_message(ADMIN_GROUP, USER, "你好")["message"]["message_id"]
    with pytest.raises(TelegramBadRequest, match="message can't be deleted"):
        await bot.delete_message(GROUP, here)
    assert await bot.delete_message(ADMIN_GROUP, there)
    assert sim.is_deleted(ADMIN_GROUP, there) and not sim.is_deleted(GROUP, here)


async def test_joins_arrive_as_new_chat_members(bot: Bot, sim: TelegramSimulator) -> None:
    sim.members_joined(GROUP, [501, 502])
    [update] = await bot.get_updates()
    assert update.message is not None
    assert [u.id for u in update.message.new_chat_members or []] == [501, 502]
