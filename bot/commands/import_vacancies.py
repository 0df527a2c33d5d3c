"""``python -m bot import vacancies FILE``: JSON Lines, CSV, RSS/Atom or JSON, with a
progress bar and a summary (imported, updated, merged, unchanged, rejected with reasons)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.commands import EXIT_CONFIG, run_async, settings_or_exit

if TYPE_CHECKING:
    from bot.config import Settings
    from jobfeed.sources.normalise import SourceIdentity
    from jobfeed.sources.records import ImportReport

SHOWN_REJECTIONS = 50
FORMATS = ["jsonl", "csv", "rss", "json"]  # jobfeed.sources.config.SourceKind (a test checks)


def add_to(what: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = what.add_parser(
        "vacancies", help="vacancies from a JSON Lines, CSV, RSS/Atom or JSON file"
    )
    parser.add_argument("file", type=Path)
    parser.add_argument("--format", choices=FORMATS, help="default: by the file's suffix")
    parser.add_argument(
        "--source",
        default="import",
        help="source name stored on the vacancies; a source of FEEDS_FILE lends its settings",
    )
    parser.add_argument(
        "--id-prefix",
        help="namespace for the file's ids (default: the --source name if given, else none)",
    )
    parser.add_argument("--items", help="JSON only: where the list is, e.g. data.list")
    parser.add_argument("--report", type=Path, help="write the full report as JSON here")
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from bot.factories import keys_of, make_importer, redis_handle
    from bot.progress import progress
    from jobfeed.sources.config import FeedsConfigError, SourceKind
    from jobfeed.sources.formats import count_records, kind_of, records_from_file
    from jobfeed.sources.ledger import FeedLedger
    from jobfeed.sources.records import SourceError
    from jobfeed.vacancies import VacancyRepository

    settings = settings_or_exit()
    path: Path = args.file
    if not path.is_file():
        print(f"error: {path}: no such file", file=sys.stderr)
        return 1
    kind = SourceKind(args.format) if args.format else kind_of(path)
    if kind is None:
        print(f"error: {path}: unknown file type; pass --format", file=sys.stderr)
        return EXIT_CONFIG
    try:
        source = _identity(settings, args)
    except FeedsConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CONFIG

    async def work() -> ImportReport:
        unknown: set[str] = set()
        async with redis_handle(settings) as handle:
            redis, keys = handle.client, keys_of(settings)
            ledger = FeedLedger(redis, keys)
            importer = make_importer(settings, VacancyRepository(redis, keys), ledger)
            with progress() as bar:
                task = bar.add_task(f"importing {path.name}", total=count_records(kind, path))
                records = records_from_file(kind, path, unknown, args.items)
                report = await importer.run(
                    records, source, progress=lambda n: bar.advance(task, n)
                )
        if unknown:
            report.notes.append("ignored fields: " + ", ".join(sorted(unknown)))
        return report

    try:
        report = run_async(work)
    except SourceError as exc:
        print(f"error: {path}: {exc} (the rows before it were imported)", file=sys.stderr)
        return 1
    _print(report)
    if args.report:
        args.report.write_text(
            json.dumps(report.to_json(), ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return 0 if not report.rejected else 1


def _identity(settings: Settings, args: argparse.Namespace) -> SourceIdentity:
    from jobfeed.sources.config import load_feeds
    from jobfeed.sources.normalise import SourceIdentity

    configured = None
    if settings.feeds_file.is_file():
        configured = load_feeds(settings.feeds_file).get(args.source)
    if configured is not None:
        prefix = configured.prefix if args.id_prefix is None else args.id_prefix
        days = configured.expiry_days
        return SourceIdentity(args.source, prefix, timedelta(days=days) if days else None)
    default_prefix = "" if args.source == "import" else args.source
    return SourceIdentity(
        args.source, default_prefix if args.id_prefix is None else args.id_prefix
    )


def _print(report: ImportReport) -> None:
    print(
        f"imported {report.imported}, updated {report.updated}, merged {report.merged}, "
        f"unchanged {report.unchanged}, rejected {len(report.rejected)}"
        + (
            f", held {len(report.held_ids)} (see GET /api/vacancies?status=held)"
            if report.held_ids
            else ""
        )
    )
    for note in report.notes:
        print(f"note: {note}")
    for rejection in report.rejected[:SHOWN_REJECTIONS]:
        print(f"  rejected {rejection}")
    hidden = len(report.rejected) - SHOWN_REJECTIONS
    if hidden > 0:
        print(f"  ... and {hidden} more (--report FILE writes them all)")
