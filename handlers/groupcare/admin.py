"""Group admins' settings in the group (/welcome, /moderation), and the FAQ commands:
/faq in a group keeps the group's own entries (its admins), in private chat the global
ones (the bot's admins); /faqstats shows what was answered, escalated and missed."""

from __future__ import annotations

import re
from typing import Any

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject, Filter
from aiogram.types import Message
from pydantic import ValidationError

from handlers.filters import InGroup, InPrivate, IsAdmin
from jobfeed.groupcare.faq import FaqEntry, FaqStore
from jobfeed.groupcare.settings import GroupCareSettings, Policy
from jobfeed.texts import Texts

ADMIN_STATUSES = frozenset({"creator", "administrator"})
_SPLIT = re.compile(r"[|｜]")
_LIST = re.compile(r"[,，、;；]")


class IsGroupAdmin(Filter):
    """The bot's admins (``ADMIN_IDS``) anywhere; in a group also its administrators."""

    async def __call__(self, message: Message, bot: Bot, admin_ids: frozenset[int]) -> bool:
        user = message.from_user
        if user is None:
            return False
        if user.id in admin_ids:
            return True
        if message.chat.type not in {"group", "supergroup"}:
            return False
        if message.sender_chat is not None and message.sender_chat.id == message.chat.id:
            return True  # an anonymous administrator
        member = await bot.get_chat_member(message.chat.id, user.id)
        return member.status in ADMIN_STATUSES


def router() -> Router:
    r = Router(name="groupcare-admin")
    r.message.register(welcome, Command("welcome"), InGroup(), IsGroupAdmin())
    r.message.register(policy, Command("moderation"), InGroup(), IsGroupAdmin())
    r.message.register(faq, Command("faq"), IsGroupAdmin())
    r.message.register(faq_stats, Command("faqstats"), InPrivate(), IsAdmin())
    r.message.register(group_admins_only, Command("welcome", "moderation", "faq", "faqstats"))
    return r


async def welcome(
    message: Message, command: CommandObject, groupcare: GroupCareSettings, texts: Texts
) -> None:
    word, _, rest = (command.args or "").strip().partition(" ")
    group = message.chat.id
    if word in {"on", "开"}:
        await groupcare.set_welcome(group, True)
        await message.reply(texts.render("groupcare.welcome_set", on=True))
    elif word in {"off", "关"}:
        await groupcare.set_welcome(group, False)
        await message.reply(texts.render("groupcare.welcome_set", on=False))
    elif word == "text":
        text = (command.args or "").strip()[len("text") :].strip() or rest.strip()
        await groupcare.set_welcome_text(group, text or None)
        await message.reply(texts.render("groupcare.welcome_text_set", text=text))
    else:
        await message.reply(texts.render("groupcare.welcome_usage"))


async def policy(
    message: Message, command: CommandObject, groupcare: GroupCareSettings, texts: Texts
) -> None:
    word = (command.args or "").strip().lower()
    if word not in Policy.__members__:
        await message.reply(texts.render("groupcare.policy_usage"))
        return
    await groupcare.set_policy(message.chat.id, Policy(word))
    await message.reply(texts.render("groupcare.policy_set", policy=word))


def parse_faq(args: str, group: int | None) -> FaqEntry:
    """``问题1|问题2`` then lines ``关键词 a,b`` and ``答案 …``; or ``问题 = 答案``."""
    first, _, more = args.partition("\n")
    values: dict[str, Any] = {"group": group, "keywords": []}
    if "=" in first and not more.strip():
        first, _, answer = first.partition("=")
        values["answer"] = answer.strip()
    answer_lines: list[str] = []
    for raw in more.splitlines():
        line = raw.strip()
        if line.startswith(("关键词", "关键字")):
            words = line[3:].lstrip(" :：")
            values["keywords"] = [w.strip() for w in _LIST.split(words) if w.strip()]
        elif line.startswith("答案") and not answer_lines:
            answer_lines.append(line[2:].lstrip(" :："))
        elif answer_lines:
            answer_lines.append(line)
    if answer_lines:
        values["answer"] = "\n".join(answer_lines).strip()
    values["questions"] = [q.strip() for q in _SPLIT.split(first) if q.strip()]
    return FaqEntry.model_validate(values)


async def faq(message: Message, command: CommandObject, faq_store: FaqStore, texts: Texts) -> None:
    args = (command.args or "").strip()
    in_group = message.chat.type != "private"
    group = message.chat.id if in_group else None
    word, _, rest = args.partition(" ")
    word = word.partition("\n")[0]
    if not args:
        entries = await faq_store.entries(group, every=not in_group)
        await message.reply(texts.render("groupcare.faq_list", entries=entries))
    elif word == "add":
        body = args[3:].strip()
        try:
            entry = parse_faq(body, group)
        except ValidationError:
            await message.reply(texts.render("groupcare.faq_usage"))
            return
        saved = await faq_store.add(entry)
        await message.reply(texts.render("groupcare.faq_added", entry=saved))
    elif word == "del" and rest.strip().isdigit():
        number = int(rest.strip())
        by_id = {e.id: e for e in await faq_store.entries()}
        found = by_id.get(number)
        allowed = found is not None and (found.group == group or not in_group)
        removed = allowed and await faq_store.remove(number)
        await message.reply(texts.render("groupcare.faq_removed", found=removed))
    else:
        await message.reply(texts.render("groupcare.faq_usage"))


async def faq_stats(message: Message, faq_store: FaqStore, texts: Texts) -> None:
    await message.answer(texts.render("groupcare.faq_stats", stats=await faq_store.stats()))


async def group_admins_only(message: Message, texts: Texts) -> None:
    await message.reply(texts.render("groupcare.group_admins_only"))
