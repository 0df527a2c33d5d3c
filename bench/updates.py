"""Group-chatter updates/s through our webhook endpoint, beside a bare aiogram webhook.

Both servers run in this process against the same Bot API simulator; the same client
posts the same updates with the same concurrency. Ours answers only after the update is
durably queued in Redis, and the run ends when the consumer has handled every update
(through the real routers: chatter is recognised and ignored). The baseline is aiogram's
``SimpleRequestHandler`` with one trivial handler, ending when that handler has seen
every update.

    python bench/updates.py [--updates 5000] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import ClientSession, web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import WEBHOOK_PATH, create_app
from bot.config import Settings
from bot.services import Services
from bot.sim import TelegramSimulator
from bot.telegram import create_bot, create_dispatcher
from bot.updates import SECRET_HEADER

TOKEN = "123456789:AAHbenchTOKENbenchTOKENbenchTOKEN_xyz"
SECRET = "bench-secret"
CHATTER = [
    "早上好",
    "群主辛苦了",
    "今天天气不错",
    "路上注意安全",
    "[表情]",
    "有人一起回家吗",
    "晚安",
]


def chatter_update(update_id: int) -> dict[str, Any]:
    chat_id = -1001000000000 - (update_id % 500)
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "supergroup", "title": "求职群"},
            "from": {"id": 500000 + update_id % 3000, "is_bot": False, "first_name": "工友"},
            "text": CHATTER[update_id % len(CHATTER)],
        },
    }


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}{WEBHOOK_PATH}"


async def post_all(url: str, updates: list[dict[str, Any]], concurrency: int) -> None:
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    for update in updates:
        queue.put_nowait(update)
    async with ClientSession() as http:

        async def client() -> None:
            while not queue.empty():
                update = queue.get_nowait()
                async with http.post(url, json=update, headers={SECRET_HEADER: SECRET}) as r:
                    if r.status != 200:
                        raise RuntimeError(f"webhook answered {r.status}")

        await asyncio.gather(*(client() for _ in range(concurrency)))


async def bare(sim: TelegramSimulator, updates: list[dict[str, Any]], concurrency: int) -> float:
    seen = 0
    done = asyncio.Event()
    dp = Dispatcher()

    @dp.message()
    async def trivial(message: Message) -> None:
        nonlocal seen
        seen += 1
        if seen == len(updates):
            done.set()

    session = AiohttpSession(api=TelegramAPIServer.from_base(sim.base_url))
    bot = Bot(TOKEN, session=session)
    app = web.Application()
    SimpleRequestHandler(dp, bot, secret_token=SECRET).register(app, path=WEBHOOK_PATH)
    runner, url = await serve(app)
    started = time.perf_counter()
    await post_all(url, updates, concurrency)
    await done.wait()
    elapsed = time.perf_counter() - started
    await runner.cleanup()
    await bot.session.close()
    return len(updates) / elapsed


async def ours(sim: TelegramSimulator, updates: list[dict[str, Any]], concurrency: int) -> float:
    settings = Settings(
        bot_token=TOKEN,  # type: ignore[arg-type]
        telegram_api_base=sim.base_url,
        redis_url=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        redis_prefix=f"bench-{uuid.uuid4().hex[:8]}",
        webhook_base_url="http://127.0.0.1:9",
        webhook_secret=SECRET,  # type: ignore[arg-type]
        _env_file=None,  # type: ignore[call-arg]
    )
    services = await Services.open(settings)
    app = create_app(services, create_bot(services), create_dispatcher(services), polling=False)
    runner, url = await serve(app)
    started = time.perf_counter()
    await post_all(url, updates, concurrency)
    while await services.inbox.backlog():
        await asyncio.sleep(0.005)
    elapsed = time.perf_counter() - started
    await runner.cleanup()
    async for key in services.redis.scan_iter(match=services.keys.pattern, count=1000):
        await services.redis.delete(key)
    await services.close()
    return len(updates) / elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    async with TelegramSimulator(speed=0) as sim:
        warm = [chatter_update(i) for i in range(1, 200)]
        await bare(sim, warm, args.concurrency)
        base = await bare(sim, [chatter_update(i) for i in range(1, args.updates + 1)],
                          args.concurrency)  # fmt: skip
        mine = await ours(sim, [chatter_update(i) for i in range(1, args.updates + 1)],
                          args.concurrency)  # fmt: skip
    print(f"updates: {args.updates} group-chatter messages, {args.concurrency} concurrent posts")
    print(f"bare aiogram SimpleRequestHandler : {base:8.0f} updates/s")
    print(f"ours (durable intake + routers)  : {mine:8.0f} updates/s")
    print(f"ratio ours / bare                 : {mine / base:8.2f}  (goal >= 0.70)")


if __name__ == "__main__":
    asyncio.run(main())
