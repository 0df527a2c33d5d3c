"""``python -m bot hash-password``: the scrypt hash of a dashboard password.

Put the result in ``DASHBOARD_PASSWORDS`` as ``<admin id>:<hash>``; the password itself
is never stored. Reads the password twice from the terminal, or once from standard input
when it is not a terminal (``echo "$PW" | python -m bot hash-password``).
"""

from __future__ import annotations

import argparse
import getpass
import sys

MIN_LENGTH = 10


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("hash-password", help="hash a dashboard password for the settings")
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from bot.dashboard.passwords import hash_password

    if sys.stdin.isatty():
        password = getpass.getpass("dashboard password: ")
        if getpass.getpass("again: ") != password:
            print("error: the two passwords differ", file=sys.stderr)
            return 1
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < MIN_LENGTH:
        print(f"error: use at least {MIN_LENGTH} characters", file=sys.stderr)
        return 1
    print(hash_password(password))
    return 0
