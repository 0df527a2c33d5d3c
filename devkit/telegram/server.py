"""The aiohttp application speaking the Bot API wire format."""

from __future__ import annotations

import json

from aiohttp import web

from .dispatch import ApiDispatcher, Reply
from .errors import ApiError
from .params import MAX_UPLOAD_BYTES, UploadTooLarge, read_params
from .state import World

DISPATCHER = web.AppKey("dispatcher", ApiDispatcher)
WORLD = web.AppKey("world", World)
NOT_FOUND = {"ok": False, "error_code": 404, "description": "Not Found"}
UNAUTHORIZED = ApiError(401, "Unauthorized")


def _json(status: int, payload: object) -> web.Response:
    return web.Response(
        body=json.dumps(payload, ensure_ascii=False).encode(),
        status=status,
        content_type="application/json",
    )


async def handle_api(request: web.Request) -> web.StreamResponse:
    dispatcher = request.app[DISPATCHER]
    arrived = dispatcher.ctx.clock.now()  # flood limits count arrivals, not handling
    token, method = request.match_info["token"], request.match_info["method"]
    reply: Reply
    if not dispatcher.valid_token(token):
        reply = dispatcher.reject(method, None, UNAUTHORIZED)
    else:
        try:
            params = await read_params(request)
        except (UploadTooLarge, web.HTTPRequestEntityTooLarge):
            reply = dispatcher.reject(method, None, ApiError(413, "Request Entity Too Large"))
        except ApiError as error:
            reply = dispatcher.reject(method, None, error)
        else:
            params.arrived = arrived
            reply = await dispatcher.call(token, method, params)
    if reply.drop and request.transport is not None:
        request.transport.abort()
        return web.Response()
    return _json(reply.status, reply.payload)


async def handle_file(request: web.Request) -> web.StreamResponse:
    if not request.app[DISPATCHER].valid_token(request.match_info["token"]):
        return _json(401, UNAUTHORIZED.payload())
    world = request.app[WORLD]
    stored = world.files_by_path.get(request.match_info["path"])
    if stored is None:
        return _json(404, NOT_FOUND)
    return web.Response(body=world.file_bytes(stored), content_type="application/octet-stream")


async def handle_unknown(request: web.Request) -> web.StreamResponse:
    return _json(404, NOT_FOUND)


def create_app(dispatcher: ApiDispatcher, world: World) -> web.Application:
    # a form may carry a whole 50 MB upload plus its other fields
    app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024)
    app[DISPATCHER] = dispatcher
    app[WORLD] = world
    app.router.add_route("*", "/bot{token}/{method}", handle_api)
    app.router.add_get("/file/bot{token}/{path:.+}", handle_file)
    return app


def add_fallback(app: web.Application) -> None:
    """Telegram answers every unknown path with JSON 404; register after other routes."""
    app.router.add_route("*", "/{tail:.*}", handle_unknown)
