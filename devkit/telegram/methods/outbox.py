"""The common path of every method that puts a message into a chat."""

from __future__ import annotations

import time
from typing import Any

from devkit.telegram.context import SimContext
from devkit.telegram.errors import bad_request
from devkit.telegram.models import SentMessage, SimChat
from devkit.telegram.params import Params


def reply_target(ctx: SimContext, chat: SimChat, params: Params) -> int | None:
    """The message being replied to, from reply_parameters or reply_to_message_id."""
    reply = params.decoded("reply_parameters")
    if isinstance(reply, dict):
        if reply.get("chat_id") not in (None, chat.id, str(chat.id)):
            return None  # a reply to another chat: not tracked by the simulator
        target = reply.get("message_id")
        allow_missing = bool(reply.get("allow_sending_without_reply"))
    else:
        target = params.integer("reply_to_message_id")
        allow_missing = params.flag("allow_sending_without_reply")
    if target is None:
        return None
    if ctx.world.any_message(chat.id, int(target)) is None:
        if allow_missing:
            return None
        raise bad_request("message to be replied not found")
    return int(target)


def deliver(
    ctx: SimContext,
    token: str,
    method: str,
    chat: SimChat,
    *,
    text: str | None,
    parse_mode: str | None,
    plain: str | None,
    entities: list[dict[str, Any]],
    reply_markup: dict[str, Any] | None,
    reply_to: int | None,
    media: dict[str, Any] | None = None,
    document_file_id: str | None = None,
    photo_file_id: str | None = None,
    source: tuple[int, int] | None = None,
    arrived: float | None = None,
) -> SentMessage:
    """Pass the flood limits (counting from ``arrived``, the request's arrival in simulated
    time; default now), then record the message as sent."""
    sim_at = ctx.limits.admit(token, chat.id, chat.is_group, arrived)
    world = ctx.world
    msg = SentMessage(
        chat_id=chat.id,
        message_id=world.next_message_id(chat.id),
        method=method,
        text=text,
        parse_mode=parse_mode,
        reply_markup=reply_markup,
        reply_to_message_id=reply_to,
        at=time.monotonic(),
        sim_at=sim_at,
        date=int(time.time()),
        token=token,
        plain_text=plain,
        entities=entities,
        document_file_id=document_file_id,
        photo_file_id=photo_file_id,
        media=media,
        from_chat_id=source[0] if source else None,
        source_message_id=source[1] if source else None,
    )
    world.record_sent(msg)
    return msg
