"""``python -m bot COMMAND``: run | worker | feed | import | broadcast | updates | hash-password
| backup | restore | check | poster.

The demo and the simulator are development tools: ``python -m devkit``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from bot.commands import (
    EXIT_CONFIG,
    backup,
    broadcast,
    check,
    feed,
    hash_password,
    importing,
    poster,
    run,
    updates,
    worker,
)

Register = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]
COMMANDS: list[Register] = [
    run.add,
    importing.add,
    feed.add,
    worker.add,
    broadcast.add,
    hash_password.add,
    updates.add,
    backup.add,
    check.add,
    poster.add,
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="招聘助手 recruitment bot")
    sub = parser.add_subparsers(dest="command", required=True)
    for register in COMMANDS:
        register(sub)
    args = parser.parse_args(argv)
    from bot.storage import RedisUnavailable  # not before: --help needs no Redis client
    from jobfeed.migrations import DataVersionError

    try:
        code: int = args.func(args)
    except (RedisUnavailable, DataVersionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    return code


if __name__ == "__main__":
    sys.exit(main())
