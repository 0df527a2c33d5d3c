"""``python -m bot worker``: broadcast worker(s); any number may run against one Redis.

SIGTERM or SIGINT stops it gracefully: sends in flight finish (up to 10 s), claimed
tasks go back to the queue for other workers. After SIGKILL, a surviving or restarted
worker takes the dead one's tasks over within seconds (heartbeats).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from typing import TYPE_CHECKING

from bot.commands import EXIT_CONFIG, metrics_port_busy, run_async, settings_or_exit

if TYPE_CHECKING:
    from bot.config import Settings

log = logging.getLogger(__name__)


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("worker", help="run broadcast workers until SIGTERM")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=32,
        metavar="N",
        help="sends in flight at once (bounds the possible duplicates after a crash)",
    )
    parser.add_argument(
        "--dead-after",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="take over a worker silent this long (heartbeats every fifth of it)",
    )
    parser.set_defaults(func=main)


async def serve(settings: Settings, concurrency: int, dead_after: float) -> None:
    """A worker needs Redis, the Bot and the send budget: no search index, no web app."""
    from bot.broadcasting import Crew
    from bot.factories import keys_of, redis_handle
    from bot.metrics import listener, process_metrics
    from bot.supervision import Supervised, supervise
    from bot.telegram.factory import create_bot
    from bot.telegram.intake import receiver_name
    from jobfeed.intake import UpdateInbox

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with redis_handle(settings) as handle:
        redis, keys = handle.client, keys_of(settings)
        bot = create_bot(settings, UpdateInbox(redis, keys, owner=receiver_name()))
        try:
            metrics = process_metrics(redis, bot)
            crew = Crew.of(settings, redis, keys, bot)
            worker = crew.worker(
                observer=metrics.channel("telegram"),
                concurrency=concurrency,
                dead_after=dead_after,
                heartbeat=dead_after / 5,
            )
            try:
                jobs = [Supervised("broadcast worker", worker.run)]
                if crew.wecom is not None:  # follows WeCom mass sends until each settles
                    jobs.append(Supervised("wecom mass-send results", crew.wecom.results.run))
                async with listener(metrics, settings):
                    await asyncio.gather(*(supervise(job, stop) for job in jobs))
            finally:
                await crew.close()
        finally:
            await bot.session.close()


def main(args: argparse.Namespace) -> int:
    if args.concurrency < 1:
        print("error: --concurrency must be at least 1")
        return 2
    if args.dead_after < 0.5:
        print("error: --dead-after must be at least 0.5 seconds")
        return 2
    settings = settings_or_exit()
    if metrics_port_busy(settings):
        return EXIT_CONFIG
    run_async(lambda: serve(settings, args.concurrency, args.dead_after))
    return 0
