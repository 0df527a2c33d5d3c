"""``python -m bot run``: the bot (webhook or polling) and the HTTP API in one aiohttp app."""

from __future__ import annotations

import argparse
import errno
import logging
import sys
from typing import TYPE_CHECKING

from bot.commands import EXIT_CONFIG, metrics_port_busy, port_is_free, settings_or_exit

if TYPE_CHECKING:
    from aiohttp import web

    from bot.config import Settings

log = logging.getLogger(__name__)


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("run", help="run the bot (webhook or polling) and the HTTP API")
    parser.set_defaults(func=main)


async def app_factory(settings: Settings) -> web.Application:
    from bot.app import create_app

    app = create_app(settings, polling=True)
    mode = "webhook" if settings.use_webhook else "long polling"

    async def started(app: web.Application) -> None:  # after its resources have opened
        log.info("Serving on %s:%d (%s)", settings.host, settings.port, mode)

    app.on_startup.append(started)
    return app


def main(args: argparse.Namespace) -> int:
    from aiohttp import web

    from bot.accesslog import AccessLog

    settings = settings_or_exit()
    busy = (
        f"error: port {settings.port} on {settings.host} is already in use: "
        "stop what listens there or set PORT"
    )
    if not port_is_free(settings.host, settings.port):
        print(busy, file=sys.stderr)
        return EXIT_CONFIG
    if metrics_port_busy(settings):
        return EXIT_CONFIG
    # run_app turns SIGTERM and SIGINT into a graceful shutdown of the app.
    try:
        web.run_app(
            app_factory(settings),
            host=settings.host,
            port=settings.port,
            print=None,
            access_log_class=AccessLog,
        )
    except OSError as exc:  # taken between the probe and the bind
        if exc.errno != errno.EADDRINUSE:
            raise
        print(busy, file=sys.stderr)
        return EXIT_CONFIG
    return 0
