"""``python -m bot broadcast``: the preview count, a whole broadcast with its outcome table,
and precise errors."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import pytest
from redis.asyncio import Redis

from bot.__main__ import main
from devkit.telegram import TelegramSimulator
from jobfeed.groups import GroupRepository
from jobfeed.keys import Keys
from jobfeed.vacancies import VacancyRepository
from tests.broadcast.conftest import sample_groups, sample_vacancies
from tests.conftest import redis_url
from tests.harness import TEST_TOKEN


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """The command configures the root logger for its process; give pytest its own back."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


async def test_preview_broadcast_and_errors(
    redis: Redis,
    keys: Keys,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    restore_logging: None,
) -> None:
    groups = sample_groups(40)
    await GroupRepository(redis, keys).upsert_many(groups)
    await VacancyRepository(redis, keys).save_many(sample_vacancies(1))
    province = groups[0].province or ""
    expected = [g.chat_id for g in groups if g.province == province]
    async with TelegramSimulator(speed=100) as sim:
        for group in groups:
            sim.add_chat(group.chat_id, title=group.title)
        for name, value in {
            "BOT_TOKEN": TEST_TOKEN,
            "REDIS_URL": redis_url(),
            "REDIS_PREFIX": keys.prefix,
            "TELEGRAM_API_BASE": sim.base_url,
            "GLOBAL_RATE": "1000",
            "LOG_LEVEL": "WARNING",
        }.items():
            monkeypatch.setenv(name, value)

        async def cli(*argv: str) -> tuple[int, str]:
            code = await asyncio.to_thread(main, ["broadcast", *argv])
            return code, capsys.readouterr().out

        code, out = await cli("D-00000", "--province", province, "--dry-run")
        assert code == 0
        assert f"{len(expected)} active groups match (province={province})" in out
        assert sim.sent == []
        code, out = await cli("NOPE-1", "--dry-run")
        assert (code, out.strip()) == (1, "error: no such vacancy: NOPE-1")

        code, out = await cli("D-00000", "--province", province)
        assert code == 0, out
        assert "no worker is running: sending from here" in out
        assert f"│ delivered │ {len(expected):>6} │" in out
        assert sorted(m.chat_id for m in sim.sent) == sorted(expected)

        code, out = await cli("NOPE-1")
        assert (code, out.strip()) == (1, "error: no such vacancy: NOPE-1")
        code, out = await cli("D-00000", "--kind", "bazaar")
        assert code == 2 and "--kind 'bazaar'" in out
        code, out = await cli("D-00000", "--at", "tomorrow")
        assert code == 2 and "2026-11-24T09:00" in out
