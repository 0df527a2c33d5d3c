"""Each process loads only what it uses (bot/factories.py, bot/commands/__init__.py).

Measured with ``-X importtime`` on the real ``python -m bot`` processes: ``--help`` loads
no part of the product beyond the command table; an import of vacancies loads Redis and
the importer but not the web app, the dashboard, the search index or aiogram; the
long-running processes (run, worker, feed) load no devkit module, and the worker and the
feed poller no web app and no search index.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.vacancies import VacancyRepository
from tests.conftest import redis_url
from tests.harness import TEST_TOKEN, free_port
from tests.test_devkit_apart import devkit_modules, imported

ROOT = Path(__file__).resolve().parent.parent
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once

WEB_APP = ["bot.app", "bot.resources", "bot.appkeys", "bot.dashboard", "bot.api", "bot.web"]
SEARCH_INDEX = ["jobfeed.search.index", "jobfeed.search.live", "bot.searching"]
TELEGRAM = ["aiogram", "handlers", "bot.telegram"]
ROUTERS = ["handlers.routers", "handlers.search", "handlers.resume", "handlers.posting"]


def run_bot(*argv: str, **env: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """``python -X importtime -m bot ARGV`` in a clean environment; its modules by name."""
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": TEST_TOKEN,
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bot", *argv],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return done, imported(done.stderr)


def loaded(modules: set[str], prefixes: list[str]) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes))


def test_help_loads_the_command_table_only() -> None:
    done, modules = run_bot("--help")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "import" in done.stdout and "worker" in done.stdout
    assert "bot.commands.run" in modules  # the table itself was read
    heavy = [*WEB_APP, *SEARCH_INDEX, *TELEGRAM, "aiohttp", "redis", "pydantic", "jobfeed"]
    assert loaded(modules, heavy) == []
    assert devkit_modules(modules) == []


async def test_an_import_of_vacancies_builds_only_the_importer(
    tmp_path: Path, keys: Keys, redis: Redis
) -> None:
    rows = (ROOT / "samples" / "vacancies.jsonl").read_text(encoding="utf-8").splitlines()[:3]
    three = tmp_path / "three.jsonl"
    three.write_text("\n".join(rows) + "\n", encoding="utf-8")
    done, modules = run_bot(
        "import", "vacancies", str(three), REDIS_URL=redis_url(), REDIS_PREFIX=keys.prefix
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "imported 3," in done.stdout
    assert await VacancyRepository(redis, keys).count() == 3
    assert "jobfeed.sources.importer" in modules
    assert loaded(modules, [*WEB_APP, *SEARCH_INDEX, *TELEGRAM, "aiohttp.web"]) == []
    assert devkit_modules(modules) == []


@pytest.mark.parametrize(
    ("command", "unwanted"),
    [
        (["run"], []),
        (["worker"], [*WEB_APP, *SEARCH_INDEX, *ROUTERS]),
        (["feed"], [*WEB_APP, *SEARCH_INDEX, *ROUTERS]),
    ],
)
def test_a_process_loads_no_devkit_and_only_its_own_parts(
    command: list[str], unwanted: list[str]
) -> None:
    """Each process gets as far as opening Redis (everything it runs is imported by then),
    finds none, and stops with one line and exit code 2."""
    done, modules = run_bot(
        *command,
        REDIS_URL=UNREACHABLE_REDIS,
        FEEDS_FILE=str(ROOT / "samples" / "feeds.toml"),
        HOST="127.0.0.1",
        PORT=str(free_port()),
    )
    assert done.returncode == 2, done.stderr[-2000:]
    assert "does not answer" in done.stderr
    assert "Serving on" not in done.stderr  # said only once the resources are open
    assert "aiogram" in modules  # it got as far as making the Bot
    assert devkit_modules(modules) == []
    assert loaded(modules, unwanted) == []
