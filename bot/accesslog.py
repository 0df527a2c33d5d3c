"""The access log of every HTTP server of the product (the web app, a ``/metrics``
listener): one INFO line per request, its fields shown by JSON lines (``bot.logs``)."""

from __future__ import annotations

import logging

from aiohttp.abc import AbstractAccessLogger
from aiohttp.web import BaseRequest, StreamResponse


class AccessLog(AbstractAccessLogger):
    """One INFO line per HTTP request: method, path (never the query string), status,
    size, duration. Headers are never logged (the webhook's secret is one)."""

    @property
    def enabled(self) -> bool:
        return self.logger.isEnabledFor(logging.INFO)

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        fields = {
            "method": request.method,
            "path": request.path,
            "status": response.status,
            "bytes": response.body_length,
            "seconds": round(time, 6),
            "remote": request.remote or "-",
        }
        self.logger.info(
            "%s %s %s %d %d %.3fs",
            fields["remote"],
            fields["method"],
            fields["path"],
            fields["status"],
            fields["bytes"],
            time,
            extra=fields,
        )
