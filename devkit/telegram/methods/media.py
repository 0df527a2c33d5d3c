"""sendDocument, sendPhoto and getFile."""

from __future__ import annotations

import mimetypes
from typing import Any
from urllib.parse import urlsplit

from devkit.telegram.context import SimContext
from devkit.telegram.errors import bad_request
from devkit.telegram.formatting import caption_text
from devkit.telegram.keyboards import check_reply_markup
from devkit.telegram.models import StoredFile
from devkit.telegram.params import Params, Upload
from devkit.telegram.state import MAX_DOWNLOAD_BYTES

from .outbox import deliver, reply_target

PHOTO_SIZES = ((90, 90), (320, 320), (800, 800))


def document_wire(stored: StoredFile) -> dict[str, Any]:
    document: dict[str, Any] = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
    }
    if stored.file_name:
        document["file_name"] = stored.file_name
    if stored.mime_type:
        document["mime_type"] = stored.mime_type
    return document


def photo_wire(ctx: SimContext, largest: StoredFile) -> list[dict[str, Any]]:
    """PhotoSize list, smallest first; thumbnails are registered as files of their own."""
    sizes: list[dict[str, Any]] = []
    for width, height in PHOTO_SIZES[:-1]:
        thumb = ctx.world.register_file("photos", max(1, largest.size * width // 800 // 10))
        sizes.append(_photo_size(thumb, width, height))
    sizes.append(_photo_size(largest, *PHOTO_SIZES[-1]))
    return sizes


def _photo_size(stored: StoredFile, width: int, height: int) -> dict[str, Any]:
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
        "width": width,
        "height": height,
    }


def _input_file(ctx: SimContext, params: Params, field: str, kind: str) -> StoredFile:
    given = params.file(field)
    world = ctx.world
    if given is None:
        raise bad_request(f"there is no {field} in the request")
    if isinstance(given, Upload):
        mime = given.content_type
        if mime == "application/octet-stream":
            mime = mimetypes.guess_type(given.filename)[0] or mime
        return world.register_file(
            kind, len(given.data), file_name=given.filename, mime_type=mime, content=given.data
        )
    stored = world.files.get(given)
    if stored is not None:
        if not stored.file_path.startswith(f"{kind}/"):
            raise bad_request(f"wrong file identifier/HTTP URL specified for {field}")
        return stored
    url = urlsplit(given)
    if url.scheme in ("http", "https") and url.netloc:
        name = url.path.rsplit("/", 1)[-1] or "file"
        return world.register_file(kind, 0, file_name=name, content=b"")
    raise bad_request("wrong file identifier/HTTP URL specified")


def _caption(params: Params) -> tuple[str | None, str | None, str | None, list[dict[str, Any]]]:
    text = params.string("caption")
    parse_mode = params.string("parse_mode")
    if text is None:
        return None, parse_mode, None, []
    plain, entities = caption_text(text, parse_mode, params.decoded("caption_entities"))
    return text, parse_mode, plain, entities


async def send_document(ctx: SimContext, token: str, params: Params) -> Any:
    chat = ctx.world.resolve(params.chat_id())
    stored = _input_file(ctx, params, "document", "documents")
    text, parse_mode, plain, entities = _caption(params)
    msg = deliver(
        ctx,
        token,
        "sendDocument",
        chat,
        text=text,
        parse_mode=parse_mode,
        plain=plain,
        entities=entities,
        reply_markup=check_reply_markup(params.decoded("reply_markup")),
        reply_to=reply_target(ctx, chat, params),
        media={"document": document_wire(stored)},
        document_file_id=stored.file_id,
        arrived=params.arrived,
    )
    return ctx.world.message_wire(msg)


async def send_photo(ctx: SimContext, token: str, params: Params) -> Any:
    chat = ctx.world.resolve(params.chat_id())
    stored = _input_file(ctx, params, "photo", "photos")
    text, parse_mode, plain, entities = _caption(params)
    markup = check_reply_markup(params.decoded("reply_markup"))
    reply_to = reply_target(ctx, chat, params)
    msg = deliver(
        ctx,
        token,
        "sendPhoto",
        chat,
        text=text,
        parse_mode=parse_mode,
        plain=plain,
        entities=entities,
        reply_markup=markup,
        reply_to=reply_to,
        media={"photo": photo_wire(ctx, stored)},
        photo_file_id=stored.file_id,
        arrived=params.arrived,
    )
    return ctx.world.message_wire(msg)


async def get_file(ctx: SimContext, token: str, params: Params) -> Any:
    file_id = params.string("file_id", required=True) or ""
    stored = ctx.world.files.get(file_id)
    if stored is None:
        raise bad_request("invalid file_id")
    if stored.size > MAX_DOWNLOAD_BYTES:
        raise bad_request("file is too big")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
        "file_path": stored.file_path,
    }
