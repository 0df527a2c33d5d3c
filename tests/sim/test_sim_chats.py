"""Chat information, membership, commands, contacts and forwards."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, KeyboardButton, ReplyKeyboardMarkup

from devkit.telegram import TelegramSimulator

from .conftest import GROUP, USER


async def test_contact_request_and_contact_reply(bot: Bot, sim: TelegramSimulator) -> None:
    markup = ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text="发送手机号", request_contact=True)]],
        resize_keyboard=True,
    )
    msg = await bot.send_message(USER, "请分享手机号", reply_markup=markup)
    assert msg.reply_markup is None  # Telegram echoes inline keyboards only
    assert sim.sent[0].reply_markup is not None
    assert sim.sent[0].reply_markup["keyboard"][0][0]["request_contact"] is True

    sim.user_contact(USER, "+8613800000000", USER)
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.contact is not None
    assert update.message.contact.user_id == USER
    assert update.message.contact.phone_number == "+8613800000000"


async def test_chat_info_membership_and_leaving(bot: Bot, sim: TelegramSimulator) -> None:
    chat = await bot.get_chat(GROUP)
    assert (chat.id, chat.type, chat.title) == (GROUP, "supergroup", "深圳招聘群")
    me = await bot.get_chat_member(GROUP, sim.world.bot.id)
    assert me.status == "member"
    assert await bot.send_chat_action(GROUP, "typing")
    assert await bot.leave_chat(GROUP)
    [update] = await bot.get_updates()
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "left"


async def test_commands_are_stored_per_scope(bot: Bot, sim: TelegramSimulator) -> None:
    await bot.set_my_commands([BotCommand(command="jobs", description="找工作")])
    assert [c.command for c in await bot.get_my_commands()] == ["jobs"]
    assert sim.commands() == [{"command": "jobs", "description": "找工作"}]
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == []


async def test_forward_keeps_origin(bot: Bot, sim: TelegramSimulator) -> None:
    posted = sim.user_message(GROUP, USER, "招焊工，日结")["message"]
    forwarded = await bot.forward_message(USER, GROUP, posted["message_id"])
    assert forwarded.text == "招焊工，日结"
    assert forwarded.forward_origin is not None
    assert sim.sent[0].method == "forwardMessage" and sim.sent[0].from_chat_id == GROUP
