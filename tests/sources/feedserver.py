"""A local website serving feeds, for the poller's tests: ETag / Last-Modified with 304s,
slow answers, garbage, and a record of every request."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web


@dataclass
class Route:
    body: bytes
    content_type: str = "application/json"
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    status: int = 200


@dataclass
class Request:
    path: str
    if_none_match: str | None
    if_modified_since: str | None
    answered: int = 0


@dataclass
class FeedServer:
    base_url: str = ""
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def answers(self, path: str) -> list[int]:
        return [r.answered for r in self.requests if r.path == path]

    async def handle(self, request: web.Request) -> web.StreamResponse:
        route = self.routes.get(request.path)
        seen = Request(
            request.path,
            request.headers.get("If-None-Match"),
            request.headers.get("If-Modified-Since"),
        )
        self.requests.append(seen)
        if route is None:
            seen.answered = 404
            return web.Response(status=404)
        if route.delay:
            await asyncio.sleep(route.delay)
        headers = {}
        if route.etag:
            headers["ETag"] = route.etag
        if route.last_modified:
            headers["Last-Modified"] = route.last_modified
        fresh = (route.etag and seen.if_none_match == route.etag) or (
            route.last_modified and seen.if_modified_since == route.last_modified
        )
        seen.answered = 304 if fresh else route.status
        if fresh:
            return web.Response(status=304, headers=headers)
        return web.Response(
            status=route.status, body=route.body, headers=headers, content_type=route.content_type
        )


@asynccontextmanager
async def feed_server() -> AsyncIterator[FeedServer]:
    server = FeedServer()
    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", server.handle)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    server.base_url = f"http://127.0.0.1:{port}"
    try:
        yield server
    finally:
        await runner.cleanup()
