"""``python -m devkit demo``: the whole system against the simulator with the sample matrix."""

from __future__ import annotations

import argparse
import asyncio
import signal
from pathlib import Path

from bot.commands import run_async
from bot.config import SettingsError
from bot.logs import configure
from devkit.demo.scenario import Demo, demo_settings


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("demo", help="run the whole system against the Bot API simulator")
    parser.add_argument("--speed", type=float, default=10.0, help="simulator speed factor")
    parser.add_argument("--samples", type=Path, default=Path("samples"))
    parser.add_argument("--port", type=int, default=8080, help="HTTP port of API and dashboard")
    parser.add_argument(
        "--exit",
        action="store_true",
        help="stop after the summary (for scripts); by default the dashboard stays up until "
        "Ctrl-C or SIGTERM",
    )
    # The default since the dashboard URL it prints must answer; kept for old command lines.
    parser.add_argument("--keep-running", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    configure("WARNING", [])
    try:
        settings = demo_settings(args.port, args.speed)
    except SettingsError as exc:
        print(f"error: {exc}")
        return 2

    async def go() -> int:
        # SIGTERM as Ctrl-C: unwind through the cleanups, which stop the embedded Redis.
        main_task = asyncio.current_task()
        assert main_task is not None
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, main_task.cancel)
        try:
            await Demo(settings, args.samples, speed=args.speed).run(keep_running=not args.exit)
        except asyncio.CancelledError:
            print("stopped")
        return 0

    try:
        return run_async(go)
    except KeyboardInterrupt:
        return 0
