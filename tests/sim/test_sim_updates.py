"""getUpdates long polling and webhook delivery."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramConflictError
from aiogram.methods import SendMessage
from aiogram.types import Message
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from devkit.telegram import TelegramSimulator

from .conftest import GROUP, USER


async def test_long_poll_returns_as_soon_as_an_update_arrives(
    bot: Bot, sim: TelegramSimulator
) -> None:
    loop = asyncio.get_running_loop()
    start = loop.time()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    sim.user_message(GROUP, USER, "/jobs@zhaopin_test_bot 电工")
    [update] = await poll
    assert loop.time() - start < 1.0
    assert update.message is not None and update.message.text == "/jobs@zhaopin_test_bot 电工"
    assert update.message.entities is not None
    assert update.message.entities[0].type == "bot_command"
    assert update.message.entities[0].length == len("/jobs@zhaopin_test_bot")

    again = await bot.get_updates()  # not confirmed yet: delivered again
    assert [u.update_id for u in again] == [update.update_id]
    assert await bot.get_updates(offset=update.update_id + 1) == []
    assert sim.pending_updates() == 0


async def test_updates_keep_order_limit_and_allowed_types(
    bot: Bot, sim: TelegramSimulator
) -> None:
    ids = [sim.user_message(USER, USER, str(n))["update_id"] for n in range(5)]
    assert ids == sorted(ids) and len(set(ids)) == 5
    first = await bot.get_updates(limit=2)
    assert [u.message.text for u in first if u.message] == ["0", "1"]
    sim.bot_removed(GROUP)
    rest = await bot.get_updates(offset=first[-1].update_id + 1, allowed_updates=["message"])
    assert [u.message.text for u in rest if u.message] == ["2", "3", "4"]
    assert all(u.my_chat_member is None for u in rest)


async def test_a_newer_poll_ends_an_older_one(bot: Bot) -> None:
    older = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    newer = asyncio.create_task(bot.get_updates(timeout=0))
    with pytest.raises(TelegramConflictError):
        await older
    assert await newer == []


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[str, list[tuple[dict[str, Any], str | None]]]]:
    """A webhook endpoint that fails the first delivery and records the rest."""
    seen: list[tuple[dict[str, Any], str | None]] = []
    calls = 0

    async def handle(request: web.Request) -> web.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            return web.Response(status=500)
        seen.append((await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        return web.json_response({})

    app = web.Application()
    app.router.add_post("/hook", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}/hook", seen
    await runner.cleanup()


async def test_webhook_delivers_in_order_with_secret(
    bot: Bot,
    sim: TelegramSimulator,
    receiver: tuple[str, list[tuple[dict[str, Any], str | None]]],
) -> None:
    url, seen = receiver
    assert await bot.set_webhook(url, secret_token="s3cret")
    for n in range(3):
        sim.user_message(USER, USER, f"第{n}条")
    for _ in range(200):
        if len(seen) == 3:
            break
        await asyncio.sleep(0.01)
    assert [update["message"]["text"] for update, _ in seen] == ["第0条", "第1条", "第2条"]
    assert {secret for _, secret in seen} == {"s3cret"}
    assert [a.status for a in sim.webhook_attempts] == [500, 200, 200, 200]
    info = await bot.get_webhook_info()
    assert info.url == url and info.pending_update_count == 0
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
    with pytest.raises(TelegramConflictError):
        await bot.get_updates()
    assert await bot.delete_webhook()
    assert await bot.get_updates() == []


async def test_webhook_reply_with_a_method_is_executed(bot: Bot, sim: TelegramSimulator) -> None:
    dp = Dispatcher()

    @dp.message()
    async def echo(message: Message) -> SendMessage:
        return message.answer(f"收到：{message.text}")

    app = web.Application()
    SimpleRequestHandler(dp, bot, handle_in_background=False).register(app, path="/hook")
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        await bot.set_webhook(f"http://127.0.0.1:{runner.addresses[0][1]}/hook")
        sim.user_message(USER, USER, "你好")
        [reply] = await sim.wait_for_sent(1, within=3.0)
    finally:
        await runner.cleanup()
    assert (reply.chat_id, reply.text) == (USER, "收到：你好")
