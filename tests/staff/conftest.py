"""The whole system plus a broadcast worker, and helpers to talk to it as people would."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis

from bot.factories import pacing_limits
from devkit.telegram import SentMessage, TelegramSimulator
from jobfeed.broadcast.pacing import Pacer
from jobfeed.keys import Keys
from jobfeed.models import Group
from tests.conftest import redis_url
from tests.harness import ADMIN_ID, System, running_system

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
RECRUITER_ID = 700001
OTHER_RECRUITER_ID = 700002
SEEKER_ID = 700009
SPEED = 200.0
QUICK: dict[str, Any] = {"backoff": 0.02, "poll": 0.02, "heartbeat": 0.2, "dead_after": 1.0}


def sample_groups(n: int | None = None) -> list[Group]:
    lines = (SAMPLES / "groups.jsonl").read_text(encoding="utf-8").splitlines()
    return [Group.model_validate_json(line) for line in lines[:n]]


@dataclass
class Staff:
    """A running system with a broadcast worker, seen from the chat side."""

    system: System

    @property
    def sim(self) -> TelegramSimulator:
        return self.system.sim

    async def groups(self, n: int) -> list[Group]:
        """The first ``n`` sample groups, in the registry and in the simulator."""
        matrix = sample_groups(n)
        for group in matrix:
            self.sim.add_chat(group.chat_id, title=group.title)
        await self.system.services.groups.upsert_many(matrix)
        return matrix

    async def say(self, user_id: int, text: str, chat_id: int | None = None) -> list[SentMessage]:
        """A user writes; returns what the bot sent in that chat in reply."""
        chat = user_id if chat_id is None else chat_id
        before = len(self.sim.messages_in(chat, include_deleted=True))
        self.sim.user_message(chat, user_id, text)
        await self.system.settle()
        return self.sim.messages_in(chat, include_deleted=True)[before:]

    async def press(self, user_id: int, message: SentMessage, data: str) -> None:
        self.sim.callback(user_id, message.chat_id, message.message_id, data)
        await self.system.settle()

    def last(self, chat_id: int) -> SentMessage:
        return self.sim.messages_in(chat_id)[-1]

    def with_button(self, chat_id: int, prefix: str) -> SentMessage:
        """The latest message in the chat with a button whose data starts with ``prefix``."""
        for message in reversed(self.sim.messages_in(chat_id)):
            if any(data.startswith(prefix) for data in buttons(message)):
                return message
        raise AssertionError(f"no message with a {prefix!r} button in chat {chat_id}")

    def alerts(self) -> list[str]:
        return [a.text or "" for a in self.sim.callback_answers]

    async def wait_broadcasts(self, within: float = 20.0) -> None:
        """Until every broadcast has finished."""
        store = self.system.services.broadcasts
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            _, rows = await store.recent(0, 100)
            if all(p.pending == 0 and p.status.finished for p in rows):
                return
            if loop.time() > deadline:
                raise TimeoutError(f"broadcasts still running: {rows}")
            await asyncio.sleep(0.05)

    async def make_recruiter(self, user_id: int, employer: str) -> None:
        """The user applies and the admin approves, through the chat."""
        await self.say(ADMIN_ID, "/pending")  # opens the admin's private chat
        await self.say(user_id, f"/recruiter {employer}")
        request = self.with_button(ADMIN_ID, f"rv:ok:{user_id}:")
        await self.press(ADMIN_ID, request, button_data(request, f"rv:ok:{user_id}:"))


def buttons(message: SentMessage) -> list[str]:
    markup = message.reply_markup or {}
    return [
        button.get("callback_data") or button.get("url") or ""
        for row in markup.get("inline_keyboard", [])
        for button in row
    ]


def button_data(message: SentMessage, prefix: str) -> str:
    """The data of the message's first button that starts with ``prefix``."""
    return next(data for data in buttons(message) if data.startswith(prefix))


def texts_of(messages: list[SentMessage]) -> list[str]:
    return [m.plain_text or m.text or "" for m in messages]


@pytest.fixture
async def staff(keys: Keys, redis: Redis) -> AsyncIterator[Staff]:
    async with running_system(keys, redis_url(), speed=SPEED) as system:
        stop = asyncio.Event()
        services = system.services
        # Telegram's limits in the simulator's time, as the pacer must see them.
        limits = pacing_limits(services.settings).scaled(SPEED)
        pacer = Pacer(services.redis, services.keys, services.settings.bot_id, limits)
        worker = system.crew().worker(pacer=pacer, **QUICK)
        task = asyncio.create_task(worker.run(stop))
        try:
            yield Staff(system)
        finally:
            stop.set()
            await asyncio.wait_for(task, 15)
