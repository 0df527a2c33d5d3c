"""Editing and deleting messages."""

from __future__ import annotations

import contextlib
import time
from typing import Any

from devkit.telegram.context import SimContext
from devkit.telegram.errors import ApiError, bad_request
from devkit.telegram.formatting import caption_text, message_text
from devkit.telegram.keyboards import check_reply_markup
from devkit.telegram.models import DeleteRecord, SentMessage
from devkit.telegram.params import Params
from devkit.telegram.state import is_caption_message

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def _editable(ctx: SimContext, params: Params) -> SentMessage:
    if "inline_message_id" in params:
        raise bad_request("MESSAGE_ID_INVALID")
    chat = ctx.world.resolve(params.chat_id())
    message_id = params.need_int("message_id")
    msg = ctx.world.bot_message(chat.id, message_id)
    if msg is not None:
        return msg
    if ctx.world.any_message(chat.id, message_id) is not None:
        raise bad_request("message can't be edited")
    raise bad_request("message to edit not found")


async def edit_message_text(ctx: SimContext, token: str, params: Params) -> Any:
    msg = _editable(ctx, params)
    if is_caption_message(msg) or msg.plain_text is None:
        raise bad_request("there is no text in the message to edit")
    text, parse_mode = params.text("text"), params.string("parse_mode")
    plain, entities = message_text(text, parse_mode, params.decoded("entities"))
    markup = check_reply_markup(params.decoded("reply_markup"))
    if (plain, entities, markup) == (msg.plain_text, msg.entities, msg.reply_markup):
        raise bad_request(NOT_MODIFIED)
    chat = ctx.world.chats[msg.chat_id]
    ctx.limits.admit(token, chat.id, chat.is_group, params.arrived)
    msg.text, msg.parse_mode, msg.plain_text, msg.entities = text, parse_mode, plain, entities
    msg.reply_markup = markup
    ctx.world.record_edit(msg, "editMessageText")
    return ctx.world.message_wire(msg)


async def edit_message_caption(ctx: SimContext, token: str, params: Params) -> Any:
    msg = _editable(ctx, params)
    if not is_caption_message(msg):
        raise bad_request("there is no caption in the message to edit")
    text, parse_mode = params.text("caption"), params.string("parse_mode")
    plain, entities = caption_text(text, parse_mode, params.decoded("caption_entities"))
    markup = check_reply_markup(params.decoded("reply_markup"))
    if (plain, entities, markup) == (msg.plain_text or "", msg.entities, msg.reply_markup):
        raise bad_request(NOT_MODIFIED)
    msg.text, msg.parse_mode, msg.plain_text, msg.entities = text, parse_mode, plain, entities
    msg.reply_markup = markup
    ctx.world.record_edit(msg, "editMessageCaption")
    return ctx.world.message_wire(msg)


async def edit_message_reply_markup(ctx: SimContext, token: str, params: Params) -> Any:
    msg = _editable(ctx, params)
    markup = check_reply_markup(params.decoded("reply_markup"))
    if markup == msg.reply_markup:
        raise bad_request(NOT_MODIFIED)
    msg.reply_markup = markup
    ctx.world.record_edit(msg, "editMessageReplyMarkup")
    return ctx.world.message_wire(msg)


def _delete(ctx: SimContext, chat_id: int, message_id: int) -> bool:
    """False when there is no such message; "message can't be deleted" when it is another
    member's message in a group where the bot is not an administrator."""
    world = ctx.world
    msg = world.bot_message(chat_id, message_id)
    if msg is not None:
        msg.deleted = True
    else:
        key = (chat_id, message_id)
        if key not in world.user_messages or key in world.deleted_user_messages:
            return False
        chat = world.chats[chat_id]
        if chat.user is None and chat.bot_status != "administrator":
            raise bad_request("message can't be deleted")
        world.deleted_user_messages.add(key)
    world.deletes.append(DeleteRecord(chat_id, message_id, time.monotonic()))
    return True


async def delete_message(ctx: SimContext, token: str, params: Params) -> Any:
    chat = ctx.world.resolve(params.chat_id())
    if not _delete(ctx, chat.id, params.need_int("message_id")):
        raise bad_request("message to delete not found")
    return True


async def delete_messages(ctx: SimContext, token: str, params: Params) -> Any:
    chat = ctx.world.resolve(params.chat_id())
    ids = params.decoded("message_ids")
    if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
        raise bad_request("message_ids must be a list of 1-100 message identifiers")
    for message_id in ids:
        with contextlib.suppress(ApiError):  # Telegram skips what it cannot delete
            _delete(ctx, chat.id, int(message_id))
    return True
