"""People joining a group: queued for the group's next welcome (sent by the welcome job,
``bot/welcoming.py``), unless the group's admins turned welcomes off."""

from __future__ import annotations

import time

from aiogram import F, Router
from aiogram.types import Message

from handlers.filters import InGroup, Magic
from jobfeed.groupcare.settings import GroupCareSettings
from jobfeed.groupcare.welcome import Newcomer, Welcomes


def router() -> Router:
    r = Router(name="welcome")
    r.message.register(joined, InGroup(), Magic(F.new_chat_members))
    return r


async def joined(message: Message, welcomes: Welcomes, groupcare: GroupCareSettings) -> None:
    people = [
        Newcomer(user.id, user.full_name)
        for user in message.new_chat_members or []
        if not user.is_bot
    ]
    if not people or not (await groupcare.of(message.chat.id)).welcome:
        return
    await welcomes.arrived(message.chat.id, people, time.time())
