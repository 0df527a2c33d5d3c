"""Health check and the OpenAPI document."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from redis.exceptions import RedisError

from bot.api.registry import Api
from bot.appkeys import READINESS, REDIS


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
            await request.app[REDIS].ping()
        except (RedisError, OSError) as exc:
            body = {"status": "error", "error": "Redis does not answer", "redis": str(exc)}
            return web.json_response(body, status=503)
        return {"status": "ok"}

    @api.route(
        "GET",
        "/readyz",
        summary="Readiness: 200 while updates can come in, Redis answers and every "
        "background job runs; else 503 naming what is down",
        tag="system",
        public=True,
    )
    async def readyz(request: web.Request) -> Any:
        readiness = request.app.get(READINESS)
        down = readiness.problems if readiness is not None else {}
        try:
            await request.app[REDIS].ping()
        except (RedisError, OSError) as exc:
            down["redis"] = f"{type(exc).__name__}: {exc}"
        if down:
            return web.json_response({"status": "unavailable", "down": down}, status=503)
        return {"status": "ready"}

    @api.route("GET", "/openapi.json", summary="This document", tag="system", public=True)
    async def openapi(request: web.Request) -> Any:
        return api.document()
