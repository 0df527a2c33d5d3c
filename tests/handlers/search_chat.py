"""The sample vacancies in a running system's Redis, and reading the bot's search answers."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from devkit.telegram import SentMessage
from jobfeed.models import Vacancy, utcnow
from jobfeed.sources.snapshot import read_moved_to
from tests.harness import System

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
BOT_USERNAME = "zhaopin_test_bot"  # the simulator's


def sample_vacancies() -> list[Vacancy]:
    """The sample vacancies, moved in time so that every one is open now (the file has
    fixed dates)."""
    rows = read_moved_to(SAMPLES / "vacancies.jsonl", utcnow())
    return [Vacancy.model_validate(row) for row in rows]


def sample_queries() -> list[dict[str, Any]]:
    with (SAMPLES / "queries.jsonl").open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


async def load(system: System, vacancies: list[Vacancy], within: float = 20.0) -> None:
    """Save ``vacancies`` and wait until the running bot's search index has them all."""
    for start in range(0, len(vacancies), 500):
        await system.services.vacancies.save_many(vacancies[start : start + 500])
    live = system.services.search
    wanted = {v.id for v in vacancies if v.is_open()}
    deadline = asyncio.get_running_loop().time() + within
    while not (live.loaded.is_set() and wanted <= live.index.ids()):
        assert asyncio.get_running_loop().time() < deadline, "the index did not follow"
        await asyncio.sleep(0.02)


def buttons(message: SentMessage) -> list[dict[str, Any]]:
    markup = message.reply_markup or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def start_payloads(message: SentMessage) -> list[str]:
    """The ``/start`` payloads of the message's URL buttons, in order."""
    found = []
    for button in buttons(message):
        url = button.get("url")
        if url:
            assert urlparse(url).netloc == "t.me" and urlparse(url).path == f"/{BOT_USERNAME}"
            found += parse_qs(urlparse(url).query).get("start", [])
    return found


def applied_ids(message: SentMessage) -> list[str]:
    return [p.removeprefix("apply_") for p in start_payloads(message) if p.startswith("apply_")]


def callback_data(message: SentMessage, prefix: str) -> list[str]:
    return [
        button["callback_data"]
        for button in buttons(message)
        if button.get("callback_data", "").startswith(prefix)
    ]
