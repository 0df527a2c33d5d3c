"""``python -m bot import vacancies FILE`` and ``python -m bot feed``, as an admin runs them."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from redis.asyncio import Redis

from bot.__main__ import main
from devkit.telegram import TelegramSimulator
from jobfeed.broadcast.plans import BroadcastPlans
from jobfeed.groups import GroupRepository
from jobfeed.keys import Keys
from jobfeed.models import Group
from jobfeed.vacancies import VacancyRepository
from tests.conftest import redis_url
from tests.harness import TEST_TOKEN

from .samples import chinese_csv, sample_rows, vacancy_json


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(
    keys: Keys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Callable[..., Awaitable[Ran]]]:
    """Runs ``python -m bot ...`` in this process (a subprocess would spend seconds importing)."""
    for name in [n for n in os.environ if n.startswith(("REDIS", "FEED", "BOT_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("BOT_TOKEN", TEST_TOKEN)
    monkeypatch.setenv("REDIS_URL", redis_url())
    monkeypatch.setenv("REDIS_PREFIX", keys.prefix)
    monkeypatch.chdir(tmp_path)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level

    async def run(*args: str) -> Ran:
        capsys.readouterr()
        try:
            code = await asyncio.to_thread(main, list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return Ran(code, out, err)

    yield run
    root.handlers[:] = handlers  # the command configured logging for a process of its own
    root.setLevel(level)


async def test_import_vacancies_from_a_chinese_csv_prints_a_summary_with_reasons(
    redis: Redis, keys: Keys, tmp_path: Path, cli: Callable[..., Awaitable[Ran]]
) -> None:
    rows = sample_rows()[:50]
    bad = [
        {**rows[0], "id": "B-1", "title": ""},
        {**rows[1], "id": "B-2", "salary_min": 1, "salary_max": 2},
    ]
    path = tmp_path / "岗位.csv"
    path.write_text(chinese_csv(rows + bad), encoding="utf-8-sig")
    result = await cli("import", "vacancies", str(path), "--report", "r.json")
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert "imported 50, updated 0, merged 0, unchanged 0, rejected 2" in lines
    assert "  rejected line 52 (id B-1): missing title (职位)" in lines
    assert any(line.startswith("  rejected line 53 (id B-2): pay '1-2元/月'") for line in lines)
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [r["where"] for r in report["rejected"]] == ["line 52 (id B-1)", "line 53 (id B-2)"]
    stored = await VacancyRepository(redis, keys).get(rows[7]["id"])
    assert stored is not None and stored.title == rows[7]["title"]

    again = await cli("import", "vacancies", str(path))
    assert "imported 0, updated 0, merged 0, unchanged 50, rejected 2" in again.stdout


async def test_feed_once_polls_every_source_and_reports_a_broken_one(
    redis: Redis, keys: Keys, tmp_path: Path, cli: Callable[..., Awaitable[Ran]]
) -> None:
    rows = sample_rows()[:5]
    (tmp_path / "ours.jsonl").write_text(
        "\n".join(vacancy_json(r) for r in rows) + "\n", encoding="utf-8"
    )
    (tmp_path / "feeds.toml").write_text(
        '[[source]]\nname = "ours"\nkind = "jsonl"\nurl = "ours.jsonl"\nid_prefix = ""\n\n'
        '[[source]]\nname = "gone"\nkind = "rss"\nurl = "http://127.0.0.1:9/feed.rss"\n',
        encoding="utf-8",
    )
    result = await cli("feed", "--once")
    assert result.returncode == 1, result.stderr
    assert "ours: imported 5, updated 0, merged 0, unchanged 0, rejected 0" in result.stdout
    assert "gone: FAILED: ClientConnectorError" in result.stdout
    assert await VacancyRepository(redis, keys).count() == 5

    again = await cli("feed", "--once")
    assert "ours: not modified" in again.stdout

    status = await cli("feed", "--status")
    assert status.returncode == 1
    ours, gone = status.stdout.splitlines()
    assert ours.startswith("ours: last ok 20") and "last import: 5 new, 0 updated" in ours
    assert gone.startswith("gone: last ok never") and "FAILING (2x): ClientConnectorError" in gone


async def test_feed_refuses_a_broken_sources_file_in_one_line(
    tmp_path: Path, cli: Callable[..., Awaitable[Ran]]
) -> None:
    (tmp_path / "feeds.toml").write_text('[[source]]\nname = "Bad Name"\n', encoding="utf-8")
    result = await cli("feed")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: feeds.toml: source Bad Name: name: String should match pattern '^[a-z0-9_]{1,20}$'"
    ]


async def test_feed_once_broadcasts_new_vacancies_to_the_targeted_groups(
    redis: Redis,
    keys: Keys,
    tmp_path: Path,
    cli: Callable[..., Awaitable[Ran]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = sample_rows()[:2]  # 烟台 and 烟台
    (tmp_path / "ours.jsonl").write_text(
        "\n".join(vacancy_json(r, expires_at="2099-01-01") for r in rows) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "feeds.toml").write_text(
        '[[source]]\nname = "ours"\nkind = "jsonl"\nurl = "ours.jsonl"\nbroadcast = "each"\n'
        '[source.target]\ncity = ["烟台"]\n',
        encoding="utf-8",
    )
    groups = GroupRepository(redis, keys)
    await groups.upsert(Group(chat_id=-1001, city="烟台"))
    await groups.upsert(Group(chat_id=-1002, city="包头"))
    async with TelegramSimulator(speed=0) as sim:
        monkeypatch.setenv("TELEGRAM_API_BASE", sim.base_url)
        monkeypatch.setenv("BOT_TOKEN", sim.token)
        result = await cli("feed", "--once")
    assert result.returncode == 0, result.stdout + result.stderr
    total, progress = await BroadcastPlans(redis, keys).recent()
    assert total == 2
    assert sorted(p.vacancy_ids[0] for p in progress) == [f"ours-{r['id']}" for r in rows]
    assert all(p.targeted == 1 and p.target == "city=烟台" for p in progress)
