"""``python -m bot run``: the bot (webhook or polling) and the HTTP API in one aiohttp app."""

from __future__ import annotations

import argparse
import logging

from aiohttp import web

from bot.app import create_app
from bot.appkeys import SERVICES
from bot.commands import settings_or_exit
from bot.config import Settings
from bot.services import Services
from bot.telegram import create_bot, create_dispatcher

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
    # run_app turns SIGTERM and SIGINT into a graceful shutdown of the app.
    web.run_app(app_factory(settings), host=settings.host, port=settings.port, print=None)
    return 0
