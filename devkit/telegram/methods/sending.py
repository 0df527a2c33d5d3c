"""sendMessage, copyMessage and forwardMessage."""

from __future__ import annotations

from typing import Any

from devkit.telegram.context import SimContext
from devkit.telegram.errors import bad_request
from devkit.telegram.formatting import caption_text, message_text
from devkit.telegram.keyboards import check_reply_markup
from devkit.telegram.params import Params
from devkit.telegram.state import CAPTION_KINDS

from .outbox import deliver, reply_target

# Wire fields that are a message's content, kept by copies and forwards.
CONTENT_FIELDS = (*CAPTION_KINDS, "sticker", "contact", "location", "video_note")


async def send_message(ctx: SimContext, token: str, params: Params) -> Any:
    chat = ctx.world.resolve(params.chat_id())
    text, parse_mode = params.text("text"), params.string("parse_mode")
    plain, entities = message_text(text, parse_mode, params.decoded("entities"))
    markup = check_reply_markup(params.decoded("reply_markup"))
    reply_to = reply_target(ctx, chat, params)
    msg = deliver(
        ctx,
        token,
        "sendMessage",
        chat,
        text=text,
        parse_mode=parse_mode,
        plain=plain,
        entities=entities,
        reply_markup=markup,
        reply_to=reply_to,
        arrived=params.arrived,
    )
    return ctx.world.message_wire(msg)


def _source(ctx: SimContext, params: Params, verb: str) -> tuple[int, int, dict[str, Any]]:
    from_ref = params.chat_id("from_chat_id")
    source_chat = ctx.world.chats.get(from_ref) if isinstance(from_ref, int) else None
    if source_chat is None or source_chat.vanished:
        raise bad_request("chat not found")
    message_id = params.need_int("message_id")
    source = ctx.world.any_message(source_chat.id, message_id)
    if source is None:
        raise bad_request(f"message to {verb} not found")
    return source_chat.id, message_id, source


def _content(source: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None, list[Any]]:
    media = {key: source[key] for key in CONTENT_FIELDS if key in source}
    text = source.get("caption") if media else source.get("text")
    entities = source.get("caption_entities" if media else "entities") or []
    return media or None, text, list(entities)


def _file_ids(media: dict[str, Any] | None) -> tuple[str | None, str | None]:
    if not media:
        return None, None
    document = media.get("document", {}).get("file_id")
    photo = media["photo"][-1]["file_id"] if media.get("photo") else None
    return document, photo


async def copy_message(ctx: SimContext, token: str, params: Params) -> Any:
    chat = ctx.world.resolve(params.chat_id())
    from_chat, message_id, source = _source(ctx, params, "copy")
    media, text, entities = _content(source)
    if text is None and not media:
        raise bad_request("message can't be copied")
    parse_mode: str | None = None
    plain: str | None = text
    if "caption" in params and media and any(kind in media for kind in CAPTION_KINDS):
        parse_mode = params.string("parse_mode")
        text = params.text("caption")
        plain, entities = caption_text(text, parse_mode, params.decoded("caption_entities"))
    document, photo = _file_ids(media)
    msg = deliver(
        ctx,
        token,
        "copyMessage",
        chat,
        text=text,
        parse_mode=parse_mode,
        plain=plain,
        entities=entities,
        reply_markup=check_reply_markup(params.decoded("reply_markup")),
        reply_to=reply_target(ctx, chat, params),
        media=media,
        document_file_id=document,
        photo_file_id=photo,
        source=(from_chat, message_id),
        arrived=params.arrived,
    )
    return {"message_id": msg.message_id}


async def forward_message(ctx: SimContext, token: str, params: Params) -> Any:
    chat = ctx.world.resolve(params.chat_id())
    from_chat, message_id, source = _source(ctx, params, "forward")
    media, text, entities = _content(source)
    if text is None and not media:
        raise bad_request("message can't be forwarded")
    origin: dict[str, Any] = {"date": source["date"]}
    if source["chat"]["type"] == "channel":
        origin.update(type="channel", chat=source["chat"], message_id=message_id)
    else:
        origin.update(type="user", sender_user=source["from"])
    document, photo = _file_ids(media)
    msg = deliver(
        ctx,
        token,
        "forwardMessage",
        chat,
        text=text,
        parse_mode=None,
        plain=text,
        entities=entities,
        reply_markup=None,
        reply_to=None,
        media={**(media or {}), "forward_origin": origin},
        document_file_id=document,
        photo_file_id=photo,
        source=(from_chat, message_id),
        arrived=params.arrived,
    )
    return ctx.world.message_wire(msg)
