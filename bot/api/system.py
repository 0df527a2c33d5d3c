"""Health check and the OpenAPI document."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from redis.exceptions import RedisError

from bot.api.registry import Api
from bot.appkeys import SERVICES


def setup(api: Api) -> None:
    @api.route(
        "GET",
        "/healthz",
        summary="Liveness: answers 200 when Redis answers",
        tag="system",
        public=True,
    )
    async def healthz(request: web.Request) -> Any:
        try:
            await request.app[SERVICES].redis.ping()
        except (RedisError, OSError) as exc:
            body = {"status": "error", "error": "Redis does not answer", "redis": str(exc)}
            return web.json_response(body, status=503)
        return {"status": "ok"}

    @api.route("GET", "/openapi.json", summary="This document", tag="system", public=True)
    async def openapi(request: web.Request) -> Any:
        return api.document()
