"""``python -m bot updates dead | replay UPDATE_ID... | replay --all``: dead-lettered updates.

Replaying puts an update back into the intake stream; the running bot (any live
receiver) picks it up within a few seconds. Calls already made for it are not repeated.
"""

from __future__ import annotations

import argparse

from bot.commands import run_async, settings_or_exit


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("updates", help="see and replay updates the bot gave up on")
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("dead", help="list dead-lettered updates, newest first")
    replay = actions.add_parser("replay", help="hand dead-lettered updates to the bot again")
    replay.add_argument("update_ids", nargs="*", type=int, metavar="UPDATE_ID")
    replay.add_argument("--all", action="store_true", help="every dead-lettered update")
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from bot.storage import open_configured
    from jobfeed.dead_letters import DeadLetters
    from jobfeed.keys import Keys

    settings = settings_or_exit()

    async def run() -> int:
        handle = await open_configured(settings)
        try:
            dead = DeadLetters(handle.client, Keys(prefix=settings.redis_prefix))
            console = Console()
            if args.action == "dead":
                table = Table("update", "type", "attempts", "at (UTC)", "error")
                for letter in await dead.newest(500):
                    table.add_row(str(letter.update_id), letter.kind, str(letter.attempts),
                                  f"{letter.at:%Y-%m-%d %H:%M:%S}", letter.error)  # fmt: skip
                console.print(table)
                console.print(f"{await dead.count()} dead-lettered update(s)")
                return 0
            chosen = list(await dead.ids()) if args.all else list(args.update_ids)
            if not chosen:
                console.print("nothing to replay: give UPDATE_IDs or --all")
                return 1
            missing = [u for u in chosen if await dead.replay(u) is None]
            console.print(f"replayed {len(chosen) - len(missing)} update(s)")
            for update_id in missing:
                console.print(f"no dead-lettered update {update_id}")
            return 1 if missing else 0
        finally:
            await handle.close()

    return run_async(run)
