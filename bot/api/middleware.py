"""Bearer-token guard for ``/api`` and JSON errors for everything the API raises."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.api.registry import ApiError
from bot.httpjson import bearer_matches, error_response
from bot.params import BadInput

log = logging.getLogger(__name__)

HandlerType = Callable[[web.Request], Awaitable[web.StreamResponse]]


def api_auth(admin_token: str | None) -> Callable[..., Awaitable[web.StreamResponse]]:
    expected = admin_token.encode() if admin_token else None

    @web.middleware
    async def middleware(request: web.Request, handler: HandlerType) -> web.StreamResponse:
        if not request.path.startswith("/api/"):
            return await handler(request)
        if expected is None:
            return error_response(401, "the API is disabled: set ADMIN_TOKEN to enable it")
        if not bearer_matches(request, expected):
            return error_response(401, "missing or wrong bearer token")
        return await handler(request)

    return middleware


@web.middleware
async def json_errors(request: web.Request, handler: HandlerType) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        return error_response(exc.status, exc.message, exc.details)
    except BadInput as exc:
        if not _is_api(request):
            raise
        return error_response(400, str(exc))
    except web.HTTPException as exc:
        if not _is_api(request):
            raise
        response = error_response(exc.status, exc.reason)
        if "Allow" in exc.headers:  # a 405 says which methods the path takes
            response.headers["Allow"] = exc.headers["Allow"]
        return response


def _is_api(request: web.Request) -> bool:
    return request.path.startswith("/api/") or request.path == "/openapi.json"
