"""``python -m bot poster ID [--out FILE]``: write a vacancy's poster (bot/web/poster.py),
the PNG that ``GET /jobs/{id}/poster.png`` serves, with a QR code of its public page."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.commands import EXIT_CONFIG, run_async, settings_or_exit

if TYPE_CHECKING:
    from jobfeed.models import Vacancy


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "poster", help="write a vacancy's poster PNG (QR code of its page at PUBLIC_BASE_URL)"
    )
    parser.add_argument("vacancy_id", metavar="ID")
    parser.add_argument(
        "--out", type=Path, metavar="FILE", help="where to write it (default: poster-ID.png)"
    )
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from bot.factories import keys_of, redis_handle
    from bot.web.poster import NoCjkFont, find_fonts, render_poster
    from jobfeed.vacancies import VacancyRepository

    settings = settings_or_exit()
    if settings.public_base_url is None:
        print(
            "error: setting PUBLIC_BASE_URL: is required for a poster's QR code "
            "(e.g. https://jobs.example.com)",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    try:
        fonts = find_fonts(settings.poster_font)
    except NoCjkFont as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    out: Path = args.out or Path(f"poster-{args.vacancy_id}.png")

    async def load() -> Vacancy | None:
        async with redis_handle(settings) as handle:
            vacancies = VacancyRepository(handle.client, keys_of(settings))
            return await vacancies.get(args.vacancy_id)

    vacancy = run_async(load)
    if vacancy is None:
        print(f"error: no vacancy {args.vacancy_id!r}", file=sys.stderr)
        return 1
    url = f"{settings.public_base_url}/jobs/{vacancy.id}"
    out.write_bytes(render_poster(vacancy, url, fonts, licence=settings.hr_licence))
    note = "" if vacancy.is_open() else f" (the vacancy is {vacancy.status.value})"
    print(f"wrote {out}: the poster of {vacancy.id} {vacancy.title}, QR code {url}{note}")
    return 0
