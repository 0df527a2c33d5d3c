"""getMe, chat information and membership, chat actions, callback answers."""

from __future__ import annotations

import time
from typing import Any

from devkit.telegram.context import SimContext
from devkit.telegram.errors import bad_request
from devkit.telegram.events import Events, member_wire
from devkit.telegram.methods.members import chat_member_wire
from devkit.telegram.models import CallbackAnswer
from devkit.telegram.params import Params

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
MAX_CALLBACK_ANSWER = 200


async def get_me(ctx: SimContext, token: str, params: Params) -> Any:
    return {
        **ctx.world.bot.wire(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


async def get_chat(ctx: SimContext, token: str, params: Params) -> Any:
    chat = ctx.world.resolve(params.chat_id())
    return {
        **chat.wire(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


async def get_chat_member(ctx: SimContext, token: str, params: Params) -> Any:
    world = ctx.world
    chat = world.resolve(params.chat_id())
    user_id = params.need_int("user_id")
    if user_id == world.bot.id:
        status = "member" if chat.user is not None else chat.bot_status
        return member_wire(status, world.bot)
    user = world.users.get(user_id)
    if user is None:
        raise bad_request("user not found")
    if chat.user is not None:
        if chat.id != user_id:
            raise bad_request("user not found")
        return member_wire("member", user)
    return chat_member_wire(ctx, chat, user_id)


async def get_chat_member_count(ctx: SimContext, token: str, params: Params) -> Any:
    chat = ctx.world.resolve(params.chat_id())
    return 2 if chat.user is not None else chat.member_count


async def leave_chat(ctx: SimContext, token: str, params: Params) -> Any:
    world = ctx.world
    chat = world.resolve(params.chat_id())
    if chat.user is not None:
        raise bad_request("chat member status can't be changed in private chats")
    Events(world, ctx.updates).membership(chat, world.bot, "left")
    return True


async def send_chat_action(ctx: SimContext, token: str, params: Params) -> Any:
    ctx.world.resolve(params.chat_id())
    if params.string("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


async def answer_callback_query(ctx: SimContext, token: str, params: Params) -> Any:
    query_id = params.string("callback_query_id", required=True) or ""
    pressed = ctx.world.open_callbacks.pop(query_id, None)
    if pressed is None or time.monotonic() - pressed > ctx.world.callback_timeout:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    text = params.string("text")
    if text is not None and len(text) > MAX_CALLBACK_ANSWER:
        raise bad_request("MESSAGE_TOO_LONG")
    ctx.world.callback_answers.append(
        CallbackAnswer(
            query_id, text, params.flag("show_alert"), params.string("url"), time.monotonic()
        )
    )
    return True


MAX_INVITE_NAME = 32  # Bot API: 0-32 characters


async def create_chat_invite_link(ctx: SimContext, token: str, params: Params) -> Any:
    """An additional invite link of a group the bot administers (``can_invite_users``)."""
    world = ctx.world
    chat = world.resolve(params.chat_id())
    if chat.user is not None:
        raise bad_request("can't invite members to a private chat")
    if chat.bot_status != "administrator":
        raise bad_request("not enough rights to manage chat invite links")
    name = params.string("name") or ""
    if len(name) > MAX_INVITE_NAME:
        raise bad_request("invite link name is too long")
    limit = params.integer("member_limit")
    if limit is not None and not 1 <= limit <= 99_999:
        raise bad_request("member limit must be between 1 and 99999")
    requests = params.flag("creates_join_request")
    if requests and limit is not None:
        raise bad_request("can't combine member limit and join requests")
    link = f"https://t.me/+sim{len(world.invite_links) + 1:06d}{abs(chat.id) % 10_000:04d}"
    wire: dict[str, Any] = {
        "invite_link": link,
        "creator": world.bot.wire(),
        "creates_join_request": requests,
        "is_primary": False,
        "is_revoked": False,
    }
    if name:
        wire["name"] = name
    if limit is not None:
        wire["member_limit"] = limit
    world.invite_links[link] = {**wire, "chat_id": chat.id}
    return wire
