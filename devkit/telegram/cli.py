"""``python -m devkit telegram``: the simulator standalone; prints its base URL and token."""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from .simulator import TelegramSimulator


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("telegram", help="serve the Telegram Bot API simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--speed", type=float, default=1.0, help="time factor; 0 lifts limits")
    parser.add_argument("--no-limits", action="store_true", help="accept any message rate")
    parser.set_defaults(func=main)


async def serve(args: argparse.Namespace) -> None:
    sim = TelegramSimulator(speed=args.speed, limits_enabled=not args.no_limits)
    base_url = await sim.start(args.host, args.port)
    print(base_url, flush=True)
    print(f"token: {sim.token}   control API: {base_url}/_sim/", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await sim.close()


def main(args: argparse.Namespace) -> int:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args))
    return 0
