"""``python -m bot backup FILE`` and ``python -m bot restore FILE [--force]``: every key
of ``REDIS_PREFIX`` to a compressed file and back (see bot/backup.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.commands import run_async, settings_or_exit


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = sub.add_parser(
        "backup", help="copy every key of REDIS_PREFIX, with expiries, to FILE (while running)"
    )
    backup.add_argument("file", type=Path, metavar="FILE", help="e.g. zp-2026-12-02.jsonl.gz")
    backup.set_defaults(func=main_backup)
    restore = sub.add_parser(
        "restore", help="load a backup into REDIS_PREFIX (empty, unless --force)"
    )
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.add_argument(
        "--force", action="store_true", help="delete what the prefix holds, then restore"
    )
    restore.set_defaults(func=main_restore)


def main_backup(args: argparse.Namespace) -> int:
    from bot.backup import write_backup
    from bot.storage import open_configured
    from jobfeed.keys import Keys

    settings = settings_or_exit()

    async def go() -> int:
        handle = await open_configured(settings)
        try:
            done = await write_backup(handle.client, Keys(settings.redis_prefix), args.file)
        finally:
            await handle.close()
        print(
            f"backed up {done.keys} keys of prefix {done.prefix!r} "
            f"(data version {done.data_version or 'not recorded'}) to {args.file}"
        )
        return 0

    return run_async(go)


def main_restore(args: argparse.Namespace) -> int:
    from bot.backup import BackupError, restore_backup
    from bot.storage import open_configured
    from jobfeed.keys import Keys

    settings = settings_or_exit()
    if not args.file.is_file():
        print(f"error: no such file: {args.file}")
        return 1

    async def go() -> int:
        handle = await open_configured(settings)
        try:
            done = await restore_backup(
                handle.client, Keys(settings.redis_prefix), args.file, force=args.force
            )
        except BackupError as exc:
            print(f"error: {exc}")
            return 1
        finally:
            await handle.close()
        print(
            f"restored {done.keys} keys into prefix {done.prefix!r} "
            f"(data version {done.data_version or 'not recorded'}, backed up {done.created_at})"
        )
        return 0

    return run_async(go)
