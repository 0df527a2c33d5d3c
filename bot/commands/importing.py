"""``python -m bot import groups FILE`` (and other importers that register here)."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from bot.commands import import_vacancies, run_async, settings_or_exit

if TYPE_CHECKING:
    from jobfeed.models import Group

log = logging.getLogger(__name__)


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("import", help="load data files")
    what = parser.add_subparsers(dest="what", required=True)
    groups = what.add_parser("groups", help="a group matrix in the groups.jsonl format")
    groups.add_argument("file", type=Path)
    groups.set_defaults(func=import_groups)
    import_vacancies.add_to(what)


def read_groups(path: Path) -> tuple[list[Group], list[str]]:
    """Valid groups, and one line per rejected row (line number and reason)."""
    from pydantic import ValidationError

    from jobfeed.models import Group

    good: list[Group] = []
    errors: list[str] = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                good.append(Group.model_validate_json(line))
            except ValidationError as exc:
                err = exc.errors()[0]
                if err["type"] == "json_invalid":
                    errors.append(f"line {number}: not JSON ({err['ctx']['error']})")
                    continue
                where = ".".join(str(p) for p in err["loc"]) or "row"
                errors.append(f"line {number}: {where}: {err['msg']}")
    return good, errors


def import_groups(args: argparse.Namespace) -> int:
    settings = settings_or_exit()
    path: Path = args.file
    if not path.is_file():
        print(f"error: {path}: no such file")
        return 1
    groups, errors = read_groups(path)

    from bot.factories import keys_of, redis_handle
    from bot.progress import progress
    from jobfeed.groups import GroupRepository

    async def store() -> None:
        async with redis_handle(settings) as handle:
            repository = GroupRepository(handle.client, keys_of(settings))
            with progress() as bar:
                task = bar.add_task("importing groups", total=len(groups))
                for start in range(0, len(groups), 200):
                    chunk = groups[start : start + 200]
                    await repository.upsert_many(chunk)
                    bar.advance(task, len(chunk))

    run_async(store)
    print(f"imported {len(groups)} groups, rejected {len(errors)}")
    for line in errors:
        print(f"  rejected {line}")
    return 0 if not errors else 1
