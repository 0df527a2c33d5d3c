"""``python -m bot feed``: poll the sources listed in ``FEEDS_FILE`` until SIGTERM, and
broadcast what they bring as each source's rules say."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.commands import EXIT_CONFIG, metrics_port_busy, run_async, settings_or_exit

if TYPE_CHECKING:  # the pipeline (aiogram, the fetcher) is imported when the command runs
    from bot.feeds import FeedPipeline
    from bot.metrics import Metrics
    from jobfeed.sources.autopost import FeedBroadcasts
    from jobfeed.sources.poller import FeedPoller

log = logging.getLogger(__name__)


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("feed", help="poll the vacancy sources of FEEDS_FILE")
    parser.add_argument("--config", type=Path, help="sources file (default: FEEDS_FILE)")
    what = parser.add_mutually_exclusive_group()
    what.add_argument(
        "--once", action="store_true", help="poll every source once now, print, and exit"
    )
    what.add_argument(
        "--status", action="store_true", help="print each source's poll state and exit"
    )
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from jobfeed.sources.config import FeedsConfigError, load_feeds

    settings = settings_or_exit()
    path: Path = args.config or settings.feeds_file
    try:
        config = load_feeds(path)
    except FeedsConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    if not (args.once or args.status) and metrics_port_busy(settings):
        return EXIT_CONFIG

    from bot.factories import keys_of, redis_handle
    from bot.feeds import build_pipeline
    from bot.metrics import listener, process_metrics
    from bot.supervision import Supervised, supervise
    from jobfeed.sources.fetch import Fetcher

    async def serve() -> int:
        async with redis_handle(settings) as handle:
            redis, keys = handle.client, keys_of(settings)
            fetcher = Fetcher()
            try:
                pipeline = build_pipeline(settings, redis, keys, config=config, fetcher=fetcher)
                return await work(pipeline, process_metrics(redis))
            finally:
                await fetcher.close()

    async def work(pipeline: FeedPipeline, metrics: Metrics) -> int:
        poller, broadcasts = pipeline.poller, pipeline.broadcasts
        if args.status:
            return await _status(poller)
        if args.once:
            return await _once(poller, broadcasts)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        async with listener(metrics, settings):
            await asyncio.gather(
                supervise(Supervised("feed poller", poller.run), stop),
                supervise(Supervised("feed broadcasts", broadcasts.run), stop),
            )
        return 0

    return run_async(serve)


async def _once(poller: FeedPoller, broadcasts: FeedBroadcasts) -> int:
    failed = 0
    for source in poller.sources:
        report = await poller.poll(source)
        state = await poller.state(source.name)
        if state.last_error:
            failed += 1
            print(f"{source.name}: FAILED: {state.last_error}")
        elif report is None:
            print(f"{source.name}: not modified")
        else:
            print(report.summary())
            for rejection in report.rejected:
                print(f"  rejected {rejection}")
    try:
        await broadcasts.tick()
    except Exception as exc:  # e.g. Telegram unreachable for getMe: the polls are reported
        failed += 1
        print(f"broadcasts: FAILED: {type(exc).__name__}: {exc}")
    return 1 if failed else 0


async def _status(poller: FeedPoller) -> int:
    """One line per source: when it last worked, its failures and error, its next poll."""
    failing = 0
    for source in poller.sources:
        state = await poller.state(source.name)
        report = state.report()
        last = _when(state.last_ok) if state.last_ok else "never"
        line = f"{source.name}: last ok {last}, next poll {_when(state.next_at)}"
        if report:
            line += (
                f", last import: {report['imported']} new, {report['updated']} updated, "
                f"{report['merged']} merged, {len(report['rejected'])} rejected"
            )
        if state.failures:
            failing += 1
            line += f", FAILING ({state.failures}x): {state.last_error}"
        print(line)
    return 1 if failing else 0


def _when(timestamp: float) -> str:
    if not timestamp:
        return "now"
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds")
