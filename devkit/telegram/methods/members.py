"""Group membership as admins see it: administrators, restricting, banning and unbanning.

As on Telegram, a bot restricts or bans only where it is an administrator with the right
to, never an administrator of the chat, and only in supergroups (restricting).
"""

from __future__ import annotations

import time
from typing import Any

from devkit.telegram.context import SimContext
from devkit.telegram.errors import bad_request
from devkit.telegram.events import member_wire
from devkit.telegram.models import RestrictRecord, SimChat
from devkit.telegram.params import Params

ADMIN_STATUSES = frozenset({"creator", "administrator"})
PERMISSIONS = (
    "can_send_messages",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_react_to_messages",
    "can_edit_tag",
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_manage_topics",
)
NO_RIGHTS = "not enough rights to restrict/unrestrict chat member"


def member_status(chat: SimChat, user_id: int) -> str:
    return chat.members.get(user_id, "member")


def chat_member_wire(ctx: SimContext, chat: SimChat, user_id: int) -> dict[str, Any]:
    """The ChatMember of ``user_id`` in a group, with a restricted member's permissions."""
    user = ctx.world.ensure_user(user_id)
    status = member_status(chat, user_id)
    member = member_wire(status, user)
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "restricted":
        member.update(chat.restrictions.get(user_id, {}))
        member["is_member"] = True
    return member


def _group(ctx: SimContext, params: Params) -> SimChat:
    chat = ctx.world.resolve(params.chat_id())
    if chat.user is not None:
        raise bad_request("method is available for supergroup and channel chats only")
    return chat


def _may_restrict(chat: SimChat, user_id: int, bot_id: int) -> None:
    if user_id == bot_id:
        raise bad_request("can't restrict self")
    if chat.bot_status != "administrator":
        raise bad_request(NO_RIGHTS)
    if member_status(chat, user_id) in ADMIN_STATUSES:
        raise bad_request("user is an administrator of the chat")


async def get_chat_administrators(ctx: SimContext, token: str, params: Params) -> Any:
    chat = ctx.world.resolve(params.chat_id())
    if chat.user is not None:
        raise bad_request("there are no administrators in the private chat")
    admins = [
        chat_member_wire(ctx, chat, user_id)
        for user_id, status in chat.members.items()
        if status in ADMIN_STATUSES
    ]
    if chat.bot_status == "administrator":
        admins.append(member_wire("administrator", ctx.world.bot))
    return admins


async def restrict_chat_member(ctx: SimContext, token: str, params: Params) -> Any:
    chat = _group(ctx, params)
    if chat.type != "supergroup":
        raise bad_request("method is available only for supergroups")
    user_id = params.need_int("user_id")
    _may_restrict(chat, user_id, ctx.world.bot.id)
    given = params.decoded("permissions")
    if not isinstance(given, dict):
        raise bad_request("can't parse permissions JSON object")
    permissions = {name: bool(given.get(name, False)) for name in PERMISSIONS}
    until = params.integer("until_date") or 0
    if all(permissions.values()):
        chat.restrictions.pop(user_id, None)
        if member_status(chat, user_id) == "restricted":
            chat.members[user_id] = "member"
    else:
        chat.members[user_id] = "restricted"
        chat.restrictions[user_id] = {**permissions, "until_date": until}
    ctx.world.restricts.append(
        RestrictRecord(chat.id, user_id, "restrictChatMember", permissions, until, time.time())
    )
    return True


async def ban_chat_member(ctx: SimContext, token: str, params: Params) -> Any:
    chat = _group(ctx, params)
    user_id = params.need_int("user_id")
    _may_restrict(chat, user_id, ctx.world.bot.id)
    until = params.integer("until_date") or 0
    chat.members[user_id] = "kicked"
    chat.restrictions.pop(user_id, None)
    ctx.world.restricts.append(
        RestrictRecord(chat.id, user_id, "banChatMember", None, until, time.time())
    )
    return True


async def unban_chat_member(ctx: SimContext, token: str, params: Params) -> Any:
    chat = _group(ctx, params)
    user_id = params.need_int("user_id")
    _may_restrict(chat, user_id, ctx.world.bot.id)
    status = member_status(chat, user_id)
    if status == "kicked":
        chat.members[user_id] = "left"
    elif not params.flag("only_if_banned"):
        chat.members[user_id] = "left"  # Telegram removes a member unbanned this way
    ctx.world.restricts.append(
        RestrictRecord(chat.id, user_id, "unbanChatMember", None, 0, time.time())
    )
    return True
