"""``python -m bot check``: preflight of settings, Redis, Telegram and the public URLs;
one line per check, exit code 1 when one fails."""

from __future__ import annotations

import argparse

from bot.commands import run_async, settings_or_exit


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("check", help="check settings, Redis, Telegram and the public URLs")
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from bot.preflight import Verdict, run_checks

    settings = settings_or_exit()

    async def go() -> int:
        failed = False
        async for check in run_checks(settings):
            print(check.line(), flush=True)
            failed = failed or check.verdict is Verdict.fail
        return 1 if failed else 0

    return run_async(go)
