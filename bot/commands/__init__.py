"""One module per CLI command; each ``add(sub)`` registers its subparser and ``func``.

A command module imports at its top only what ``add`` needs (argparse): what the command
runs is imported in its ``func``, so ``python -m bot --help`` and each command load only
their own part of the product (tests/test_composition.py measures it).
"""

from __future__ import annotations

import asyncio
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
    configure(settings.log_level, secrets)
    return settings


def run_async(main: Callable[[], Awaitable[T]]) -> T:
    async def wrapper() -> T:
        return await main()

    return asyncio.run(wrapper())
