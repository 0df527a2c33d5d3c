"""``python -m devkit wecom``: the WeCom simulator standalone, with a few robots and
customer groups; prints its base URL (``WECOM_API_BASE``), the robots' webhook URLs and the
corp credentials (``WECOM_CORP_ID``, ``WECOM_SECRET``)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from .simulator import WeComSimulator


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("wecom", help="serve the WeCom (企业微信) simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8082)
    parser.add_argument("--speed", type=float, default=1.0, help="time factor")
    parser.add_argument("--robots", type=int, default=2, help="robots to create")
    parser.set_defaults(func=main)


async def serve(args: argparse.Namespace) -> None:
    sim = WeComSimulator(speed=args.speed)
    base_url = await sim.start(args.host, args.port)
    print(f"WECOM_API_BASE={base_url}", flush=True)
    print(f"WECOM_CORP_ID={sim.corp_id} WECOM_SECRET={sim.secret}", flush=True)
    for n in range(args.robots):
        print(f"robot {n + 1}: {sim.webhook_url(sim.add_robot())}", flush=True)
    for chat, owner in (("wrDemo1", "zhangsan"), ("wrDemo2", "zhangsan"), ("wrDemo3", "lisi")):
        sim.add_customer_group(chat, owner)
    try:
        await asyncio.Event().wait()
    finally:
        await sim.stop()


def main(args: argparse.Namespace) -> int:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args))
    return 0
