"""``python -m bot COMMAND``: run | worker | feed | import | broadcast | updates | hash-password.

The demo and the simulator are development tools: ``python -m devkit``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from bot.commands import broadcast, feed, hash_password, importing, run, updates, worker

Register = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]
COMMANDS: list[Register] = [
    run.add,
    importing.add,
    feed.add,
    worker.add,
    broadcast.add,
    hash_password.add,
    updates.add,
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="招聘助手 recruitment bot")
    sub = parser.add_subparsers(dest="command", required=True)
    for register in COMMANDS:
        register(sub)
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
