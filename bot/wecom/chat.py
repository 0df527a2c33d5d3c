"""Admins register WeCom group robots in private chat: ``/wecom_robot 群名 WEBHOOK [城市]``,
and list them (keys masked) with ``/wecom_robots``; ``/wecom_corp 企业ID SECRET`` sets the
corp credentials for customer groups.

A webhook URL, like the app's secret, is a secret: sent in a group, the message is deleted
where the bot may and the admin is told to replace it; nothing is registered from a group.
"""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.wecom.credentials import CredentialStore
from bot.wecom.robots import RobotRegistry, parse_key
from handlers.filters import InPrivate, IsAdmin
from jobfeed.texts import Texts

log = logging.getLogger(__name__)


def router() -> Router:
    r = Router(name="wecom")
    r.message.register(in_group, Command("wecom_robot"), IsAdmin(), ~InPrivate())
    r.message.register(add_robot, Command("wecom_robot"), IsAdmin())
    r.message.register(list_robots, Command("wecom_robots"), IsAdmin(), InPrivate())
    r.message.register(in_group, Command("wecom_corp"), IsAdmin(), ~InPrivate())
    r.message.register(set_corp, Command("wecom_corp"), IsAdmin())
    return r


async def add_robot(
    message: Message, command: CommandObject, texts: Texts, wecom_robots: RobotRegistry
) -> None:
    parts = (command.args or "").split()
    if len(parts) not in (2, 3):
        await message.answer(texts.render("wecom.usage"))
        return
    name, webhook, city = parts[0], parts[1], (parts[2] if len(parts) == 3 else None)
    try:
        key = parse_key(webhook)
    except ValueError as exc:
        await message.answer(texts.render("wecom.bad_webhook", reason=str(exc)))
        return
    robot = await wecom_robots.register(key, name, city=city)
    log.info("WeCom robot %s registered (%s)", robot.group.chat_id, robot.masked_key)
    await message.answer(
        texts.render("wecom.registered", name=name, masked=robot.masked_key, city=city)
    )


async def set_corp(
    message: Message, command: CommandObject, texts: Texts, wecom_credentials: CredentialStore
) -> None:
    parts = (command.args or "").split()
    if len(parts) != 2:
        await message.answer(texts.render("wecom.corp_usage"))
        return
    try:
        saved = await wecom_credentials.set(parts[0], parts[1])
    except ValueError as exc:
        await message.answer(texts.render("wecom.corp_invalid", reason=str(exc)))
        return
    log.info("WeCom corp credentials set for %s", saved.corp_id)
    await message.answer(texts.render("wecom.corp_saved", **saved.masked()))


async def in_group(message: Message, bot: Bot, texts: Texts) -> None:
    try:
        await bot.delete_message(message.chat.id, message.message_id)
    except TelegramAPIError:
        log.info("Could not delete a webhook URL posted in chat %s", message.chat.id)
    await message.answer(texts.render("wecom.in_group"))


async def list_robots(message: Message, texts: Texts, wecom_robots: RobotRegistry) -> None:
    await message.answer(texts.render("wecom.robots", rows=await wecom_robots.all()))
