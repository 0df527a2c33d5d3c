"""Reading Bot API parameters the way Telegram accepts them.

Telegram takes parameters from the query string, urlencoded or multipart forms, or a
JSON body. Form values are strings: nested objects (reply_markup, entities, ...) arrive
JSON-encoded, booleans as "true"/"false", and files as multipart parts, possibly
referenced as "attach://<part name>" the way aiogram sends them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, MultipartReader, web

from .errors import bad_request

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class UploadTooLarge(Exception):
    """A multipart file over the 50 MB a bot may upload."""


@dataclass(frozen=True, slots=True)
class Upload:
    """A file sent in the request body."""

    filename: str
    data: bytes
    content_type: str = "application/octet-stream"


class Params:
    """Typed, Telegram-flavoured access to one request's parameters."""

    __slots__ = ("_raw", "arrived")

    def __init__(self, raw: Mapping[str, Any], arrived: float | None = None) -> None:
        self._raw = raw
        self.arrived = arrived  # simulated time the request reached the server, if known

    def __contains__(self, name: str) -> bool:
        return self._raw.get(name) not in (None, "")

    def raw(self, name: str) -> Any:
        return self._raw.get(name)

    def string(self, name: str, *, required: bool = False) -> str | None:
        value = self._raw.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(f"{name} is empty")
            return None
        if isinstance(value, Upload):
            raise bad_request(f"wrong parameter {name}")
        return value if isinstance(value, str) else json.dumps(value)

    def text(self, name: str) -> str:
        return self.string(name) or ""

    def integer(self, name: str, *, required: bool = False) -> int | None:
        value = self._raw.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(f"{name} is empty")
            return None
        if isinstance(value, bool):
            return int(value)
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def need_int(self, name: str) -> int:
        value = self.integer(name, required=True)
        assert value is not None  # required=True raised otherwise
        return value

    def number(self, name: str) -> float | None:
        value = self._raw.get(name)
        if value is None or value == "":
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def flag(self, name: str) -> bool:
        value = self._raw.get(name)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def decoded(self, name: str) -> Any:
        value = self._raw.get(name)
        if not isinstance(value, str):
            return value
        if value == "":
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None

    def chat_id(self, name: str = "chat_id") -> int | str:
        value = self._raw.get(name)
        if value is None or value == "":
            raise bad_request(f"{name} is empty")
        if isinstance(value, int):
            return value
        text = str(value)
        if text.startswith("@"):
            return text
        try:
            return int(text)
        except ValueError:
            raise bad_request("chat not found") from None

    def file(self, name: str) -> Upload | str | None:
        """An uploaded file, or the file_id/URL string given instead."""
        value = self._raw.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            value = self._raw.get(value.removeprefix("attach://"))
            if not isinstance(value, Upload):
                raise bad_request(f"wrong file identifier/HTTP URL specified for {name}")
        if value is None or value == "":
            return None
        if isinstance(value, Upload | str):
            return value
        raise bad_request(f"wrong file identifier/HTTP URL specified for {name}")


async def read_params(request: web.Request) -> Params:
    raw: dict[str, Any] = dict(request.query)
    if request.method != "POST" or not request.can_read_body:
        return Params(raw)
    content_type = request.content_type
    if content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON object") from None
        if isinstance(body, dict):
            raw.update(body)
        return Params(raw)
    if content_type == "multipart/form-data":
        raw.update(await read_multipart(await request.multipart()))
        return Params(raw)
    for key, value in (await request.post()).items():
        raw[key] = value if isinstance(value, str) else str(value)
    return Params(raw)


async def read_multipart(reader: MultipartReader) -> dict[str, Any]:
    """Fields of a multipart body, files as `Upload` (also used for webhook replies).

    Raises `UploadTooLarge` as soon as one file passes `MAX_UPLOAD_BYTES`, without
    buffering the rest of it.
    """
    fields: dict[str, Any] = {}
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader) or part.name is None:
            continue
        if part.filename is None:
            fields[part.name] = await part.text()
            continue
        data = bytearray()
        while chunk := await part.read_chunk():
            data += chunk
            if len(data) > MAX_UPLOAD_BYTES:
                raise UploadTooLarge
        fields[part.name] = Upload(
            filename=part.filename,
            data=bytes(data),
            content_type=part.headers.get("Content-Type", "application/octet-stream"),
        )
    return fields
