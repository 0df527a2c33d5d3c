"""An admin lets a held vacancy through from chat: ``/release <id> <reason>``, audited like
``POST /api/vacancies/{id}/release`` (the same use case, the admin named as the actor)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from handlers.filters import InPrivate, IsAdmin
from jobfeed.compliance.release import NotHeld, Releases
from jobfeed.texts import Texts


def router() -> Router:
    r = Router(name="releasing")
    r.message.register(release, Command("release"), InPrivate(), IsAdmin())
    return r


async def release(
    message: Message, command: CommandObject, releases: Releases, texts: Texts
) -> None:
    assert message.from_user is not None  # IsAdmin lets only users through
    vacancy_id, _, reason = (command.args or "").strip().partition(" ")
    if not vacancy_id or not reason.strip():
        await message.answer(texts.render("compliance.release_usage"))
        return
    actor = f"chat:{message.from_user.id}"
    try:
        released = await releases.release(vacancy_id, actor, reason.strip()[:500])
    except NotHeld:
        await message.answer(texts.render("compliance.not_held", vacancy_id=vacancy_id))
        return
    if released is None:
        await message.answer(texts.render("compliance.no_vacancy", vacancy_id=vacancy_id))
        return
    await message.answer(texts.render("compliance.released", vacancy=released))
