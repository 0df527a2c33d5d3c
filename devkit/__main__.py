"""``python -m devkit COMMAND``: demo | telegram | wechat | wecom (development only)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from devkit.demo import cli as demo
from devkit.telegram import cli as telegram
from devkit.wechat import cli as wechat
from devkit.wecom import cli as wecom

Register = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]
COMMANDS: list[Register] = [demo.add, telegram.add, wechat.add, wecom.add]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m devkit", description="招聘助手 development tools: simulators and the demo"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for register in COMMANDS:
        register(sub)
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
