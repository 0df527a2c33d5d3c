"""Lua scripts kept in ``.lua`` files, registered once: the one idiom for an atomic update.

A module's scripts live in a ``scripts/`` folder beside it (``jobfeed/broadcast/scripts/
claim.lua``) and ship in the package. ``load_script`` joins one or more files (shared
functions first, then the script's body) into one script and registers it: the client
calls ``EVALSHA`` and sends the text only when the server does not know it yet (first
use on a server, after a restart), so the text crosses the network once, not per call.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from redis.asyncio import Redis
from redis.commands.core import AsyncScript

FOLDER = "scripts"


@cache
def script_text(package: str, name: str) -> str:
    """The text of ``<package>/scripts/<name>.lua``, read from the package once."""
    return resources.files(package).joinpath(FOLDER, f"{name}.lua").read_text("utf-8")


def load_script(redis: Redis, package: str, *names: str) -> AsyncScript:
    """One script made of the named files of ``package``, in that order."""
    if not names:
        raise ValueError("name at least one script file")
    return redis.register_script("".join(script_text(package, n) for n in names))
