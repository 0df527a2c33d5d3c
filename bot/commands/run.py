"""``python -m bot run``: the bot (webhook or polling) and the HTTP API in one aiohttp app."""

from __future__ import annotations

import argparse
import errno
import logging
import sys

from aiohttp import web

from bot.app import create_app
from bot.appkeys import SERVICES
from bot.commands import EXIT_CONFIG, metrics_port_busy, port_is_free, settings_or_exit
from bot.config import Settings
from bot.logs import AccessLog
from bot.services import Services
from bot.telegram.factory import create_bot, create_dispatcher

log = logging.getLogger(__name__)


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("run", help="run the bot (webhook or polling) and the HTTP API")
    parser.set_defaults(func=main)


async def app_factory(settings: Settings) -> web.Application:
    services = await Services.open(settings)
    app = create_app(services, create_bot(services), create_dispatcher(services), polling=True)

    async def close_services(app: web.Application) -> None:
        await app[SERVICES].close()

    app.on_cleanup.append(close_services)  # runs after the background jobs have stopped
    mode = "webhook" if settings.use_webhook else "long polling"
    log.info("Serving on %s:%d (%s)", settings.host, settings.port, mode)
    return app


def main(args: argparse.Namespace) -> int:
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
