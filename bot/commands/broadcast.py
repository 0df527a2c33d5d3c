"""``python -m bot broadcast VACANCY_ID... [--city X] [--dry-run]``: send a vacancy to groups.

Shows a live progress bar and a final table of outcomes. The sending is done by the
running ``python -m bot worker`` processes; when none is alive, this command runs a
worker itself until the broadcast is done (Ctrl-C hands its work back).
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.commands import run_async, settings_or_exit

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from bot.broadcasting import Crew
    from bot.config import Settings
    from jobfeed.broadcast.models import Progress, Target
    from jobfeed.broadcast.plans import BroadcastPlans

WORKER_DEAD_AFTER = 5.0


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "broadcast",
        help="send vacancies to the matching groups, with live progress",
        description="Send one vacancy (or a digest of up to 10) to every matching active "
        "group. Filters take comma-separated alternatives and may be repeated; "
        "different filters must all match.",
    )
    parser.add_argument("vacancy_ids", nargs="+", metavar="VACANCY_ID")
    parser.add_argument("--kind", action="append", default=[], help="recruitment, community")
    parser.add_argument("--city", action="append", default=[])
    parser.add_argument("--province", action="append", default=[])
    parser.add_argument("--industry", action="append", default=[])
    parser.add_argument(
        "--at", metavar="TIME", help="start at this time, e.g. 2026-11-24T09:00 (TIMEZONE)"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="only say how many groups would get it"
    )
    parser.add_argument(
        "--detach", action="store_true", help="create it and exit; the workers send it"
    )
    parser.add_argument(
        "--workers", type=int, default=1, metavar="N", help="workers to run here if none is up"
    )
    parser.set_defaults(func=main)


def _split(values: list[str]) -> list[str]:
    return [v.strip() for raw in values for v in raw.replace("，", ",").split(",") if v.strip()]


def parse_target(args: argparse.Namespace) -> Target:
    from jobfeed.broadcast.models import Target
    from jobfeed.models import GroupKind

    kinds = _split(args.kind)
    for kind in kinds:
        if kind not in GroupKind.__members__:
            raise ValueError(f"--kind {kind!r}: use recruitment or community")
    return Target(
        kind=[GroupKind(k) for k in kinds],
        city=_split(args.city),
        province=_split(args.province),
        industries=_split(args.industry),
    )


def parse_time(text: str | None, zone: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--at {text!r}: use a time like 2026-11-24T09:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(zone))


def main(args: argparse.Namespace) -> int:
    settings = settings_or_exit()
    try:
        target = parse_target(args)
        at = parse_time(args.at, settings.timezone)
    except ValueError as exc:
        print(f"error: {exc}")
        return 2
    if args.workers < 1:
        print("error: --workers must be at least 1")
        return 2
    return run_async(lambda: _broadcast(settings, args, target, at))


async def _broadcast(
    settings: Settings, args: argparse.Namespace, target: Target, at: datetime | None
) -> int:
    from rich.console import Console

    from bot.broadcasting import Crew
    from bot.factories import keys_of, make_texts, redis_handle
    from bot.telegram.factory import create_bot
    from bot.telegram.intake import receiver_name
    from handlers.posts import PostCheck
    from jobfeed.broadcast.planner import BroadcastPlanner, PlanError
    from jobfeed.broadcast.plans import BroadcastPlans
    from jobfeed.groups import GroupRepository
    from jobfeed.intake import UpdateInbox
    from jobfeed.vacancies import VacancyRepository

    console = Console()
    async with redis_handle(settings) as handle:
        redis, keys = handle.client, keys_of(settings)
        bot = create_bot(settings, UpdateInbox(redis, keys, owner=receiver_name()))
        plans = BroadcastPlans(redis, keys)
        groups, vacancies = GroupRepository(redis, keys), VacancyRepository(redis, keys)
        planner = BroadcastPlanner(plans, groups, vacancies, PostCheck(make_texts(settings)))
        try:
            matching = await planner.preview(target)
            if args.dry_run:
                try:
                    await planner.check(args.vacancy_ids)
                except PlanError as exc:
                    console.print(f"error: {exc}")
                    return 1
                console.print(f"{len(matching)} active groups match ({target.describe()})")
                return 0
            try:
                created = await planner.create(args.vacancy_ids, target, scheduled_at=at)
            except PlanError as exc:
                console.print(f"error: {exc}")
                return 1
            console.print(
                f"broadcast {created.id}: {len(matching)} groups ({target.describe()}), "
                f"status {created.status.value}"
            )
            if args.detach:
                return 0
            crew = Crew.of(settings, redis, keys, bot)
            try:
                final = await _watch(crew, plans, created.id, args.workers, console)
            finally:
                await crew.close()
            console.print(outcome_table(final))
            return 0
        finally:
            await bot.session.close()


async def _watch(
    crew: Crew, plans: BroadcastPlans, broadcast_id: str, workers: int, console: Console
) -> Progress:
    from bot.broadcasting import run_here
    from bot.progress import progress
    from jobfeed.broadcast.liveness import WorkerLiveness

    with progress() as bar:
        task = bar.add_task("sending", total=None)

        def show(found: list[Progress]) -> None:
            p = found[0]
            bar.update(
                task,
                total=p.targeted,
                completed=p.done,
                description=f"{p.status.value}: {p.delivered} delivered, "
                f"{p.failed_total} failed, {p.skipped_total} skipped",
            )

        workers_alive = WorkerLiveness(crew.redis, crew.keys)
        if await workers_alive.live_workers(WORKER_DEAD_AFTER) == 0:
            console.print(f"no worker is running: sending from here ({workers} worker)")
            try:
                return (await run_here(crew, [broadcast_id], workers=workers, on_progress=show))[0]
            except (KeyboardInterrupt, asyncio.CancelledError):
                console.print("stopped: `python -m bot worker` will finish the broadcast")
                raise
        while True:
            found = await plans.progress(broadcast_id)
            assert found is not None  # we just created it; broadcasts are never deleted
            show([found])
            if found.status.finished and found.finished_at is not None:
                return found
            await asyncio.sleep(0.3)


def outcome_table(p: Progress) -> Table:
    from rich.table import Table

    table = Table(title=f"broadcast {p.id}: {p.status.value}")
    table.add_column("outcome")
    table.add_column("groups", justify="right")
    table.add_row("targeted", str(p.targeted))
    table.add_row("delivered", str(p.delivered))
    for reason, count in sorted(p.failed.items()):
        table.add_row(f"failed: {reason}", str(count))
    for reason, count in sorted(p.skipped.items()):
        table.add_row(f"skipped: {reason}", str(count))
    table.add_row("pending", str(p.pending))
    if p.unknown:
        table.add_row("reply lost (unknown outcome)", str(p.unknown))
        table.add_row("  of which resent", str(p.resent))
    return table
