"""Redis down: every surface answers 503 (JSON, or a page for the HTML surfaces), never a 500.

A dropped or refused connection, or a timeout, says nothing about the request: the
client may try again shortly (``Retry-After``). Telegram does so for the webhook, which
is right: an update that could not be logged was not acknowledged.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.api.registry import UNAVAILABLE
from bot.httpjson import error_response
from jobfeed.texts import TEMPLATES_DIR

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
RETRY_AFTER_SECONDS = "5"
PAGE = TEMPLATES_DIR / "web" / "unavailable.html"


def dependency_down(
    html_prefixes: tuple[str, ...],
) -> Callable[..., Awaitable[web.StreamResponse]]:
    """Paths under ``html_prefixes`` get the 503 page; every other path JSON."""
    page = PAGE.read_text(encoding="utf-8")

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except (RedisConnectionError, RedisTimeoutError) as exc:
            log.warning("%s %s: Redis is unavailable (%s)", request.method, request.path, exc)
        headers = {"Retry-After": RETRY_AFTER_SECONDS}
        if request.path.startswith(html_prefixes):
            return web.Response(
                text=page, status=503, content_type="text/html", charset="utf-8", headers=headers
            )
        response = error_response(503, UNAVAILABLE)
        response.headers.update(headers)
        return response

    return middleware
