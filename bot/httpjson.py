"""What every HTTP surface of the product shares: JSON error bodies and the bearer-token
check. Outside ``bot.api``, so that a worker serving ``/metrics`` loads no API."""

from __future__ import annotations

import hmac
import json
from typing import Any

from aiohttp import web


def json_dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def error_response(status: int, message: str, details: Any = None) -> web.Response:
    body: dict[str, Any] = {"error": message}
    if details is not None:
        body["details"] = details
    return web.json_response(body, status=status, dumps=json_dumps)


def bearer_matches(request: web.Request, expected: bytes) -> bool:
    """Whether the request carries ``Authorization: Bearer <expected>``."""
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    # Header bytes that are not UTF-8 arrive as surrogates: give them back as they came.
    token = given.strip().encode("utf-8", "surrogateescape")
    return scheme.lower() == "bearer" and hmac.compare_digest(token, expected)
