"""One module per CLI command; each ``add(sub)`` registers its subparser and ``func``.

A command module imports at its top only what ``add`` needs (argparse): what the command
runs is imported in its ``func``, so ``python -m bot --help`` and each command load only
their own part of the product (tests/test_composition.py measures it).
"""

from __future__ import annotations

import asyncio
import errno
import socket
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from bot.config import Settings

T = TypeVar("T")
EXIT_CONFIG = 2


def settings_or_exit(**overrides: object) -> Settings:
    """Load settings; on a bad one print one line naming it and exit with code 2."""
    from bot.config import SettingsError, load_settings
    from bot.logs import configure

    try:
        settings = load_settings(**overrides)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None
    secrets = [settings.bot_token.get_secret_value()]
    secrets += [
        s.get_secret_value()
        for s in (settings.admin_token, settings.webhook_secret, settings.web_apply_secret)
        if s
    ]
    configure(settings.log_level, secrets, settings.log_format)
    return settings


def port_is_free(host: str, port: int) -> bool:
    """Tried before anything starts, so a busy port is one line, not a half-started app."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return False
            raise
    return True


def metrics_port_busy(settings: Settings) -> bool:
    """``METRICS_PORT`` is set and taken: says so in one line (the caller exits 2)."""
    port = settings.metrics_port
    if port is None or port_is_free(settings.host, port):
        return False
    print(
        f"error: METRICS_PORT {port} on {settings.host} is already in use: stop what "
        "listens there or set another METRICS_PORT (each process on a host needs its own)",
        file=sys.stderr,
    )
    return True


def run_async(main: Callable[[], Awaitable[T]]) -> T:
    async def wrapper() -> T:
        return await main()

    return asyncio.run(wrapper())
