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
import statistics
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
from bot.appkeys import INBOX, KEYS, REDIS
from bot.config import Settings
from bot.telegram.dispatcher import create_dispatcher
from bot.telegram.intake import SECRET_HEADER
from devkit.telegram import TelegramSimulator

TOKEN = "123456789:AAHbenchTOKENbenchTOKENbenchTOKEN_xyz"
SECRET = "bench-secret"
# Group chatter as it comes: 13 × 13 × 13 = 2,197 distinct lines, so caches of parsed
# messages cannot flatter the figure (each line comes back about twice in 5,000).
OPENERS = ["早上好", "大家好", "收到", "谢谢群主", "哈哈", "辛苦了", "晚安", "好的", "[表情]",
           "兄弟们", "今天休息", "刚下班", "明天见"]  # fmt: skip
MIDDLES = ["", "，今天天气不错", "，路上注意安全", "，吃饭了吗", "，有人一起回家吗", "，下雨了",
           "，车上人好多", "，刚到宿舍", "，老乡在吗", "，这个可以", "，周末去哪", "，好累啊",
           "，红包谢谢"]  # fmt: skip
ENDINGS = ["", "！", "～", "。", "😄", "👍", "哈哈哈", "呀", "啊", "吧", "嘛", "了", "呢"]
CHATTER = [o + m + e for o in OPENERS for m in MIDDLES for e in ENDINGS]


def chatter_update(update_id: int) -> dict[str, Any]:
    chat_id = -1001000000000 - (update_id % 500)
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "supergroup", "title": "求职群"},
            "from": {"id": 500000 + update_id % 3000, "is_bot": False, "first_name": "工友"},
            "text": CHATTER[(update_id * 7919) % len(CHATTER)],
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


def trivial_dispatcher() -> Dispatcher:
    dp = Dispatcher()

    @dp.message()
    async def trivial(message: Message) -> None:
        return None

    return dp


async def ours(
    sim: TelegramSimulator, updates: list[dict[str, Any]], concurrency: int, *, product: bool
) -> float:
    """Our webhook and durable intake, with the product's routers or a trivial handler."""
    settings = Settings(
        bot_token=TOKEN,  # type: ignore[arg-type]
        telegram_api_base=sim.base_url,
        redis_url=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        redis_prefix=f"bench-{uuid.uuid4().hex[:8]}",
        webhook_base_url="http://127.0.0.1:9",
        webhook_secret=SECRET,  # type: ignore[arg-type]
        _env_file=None,  # type: ignore[call-arg]
    )
    dispatcher = create_dispatcher if product else (lambda *_, **__: trivial_dispatcher())
    app = create_app(settings, polling=False, dispatcher=dispatcher)
    runner, url = await serve(app)
    started = time.perf_counter()
    await post_all(url, updates, concurrency)
    while await app[INBOX].backlog():
        await asyncio.sleep(0.005)
    elapsed = time.perf_counter() - started
    redis, keys = app[REDIS], app[KEYS]
    async for key in redis.scan_iter(match=keys.pattern, count=1000):
        await redis.delete(key)
    await runner.cleanup()
    return len(updates) / elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    runs: dict[str, list[float]] = {"bare": [], "intake": [], "product": []}
    async with TelegramSimulator(speed=0) as sim:
        updates = [chatter_update(i) for i in range(1, args.updates + 1)]
        await bare(sim, updates[:200], args.concurrency)  # warm up both sides
        await ours(sim, updates[:200], args.concurrency, product=True)
        for _ in range(args.rounds):  # alternating, so a busy moment hits all three alike
            runs["bare"].append(await bare(sim, updates, args.concurrency))
            runs["intake"].append(await ours(sim, updates, args.concurrency, product=False))
            runs["product"].append(await ours(sim, updates, args.concurrency, product=True))
    base, intake, product = (statistics.median(runs[k]) for k in ("bare", "intake", "product"))
    print(
        f"updates: {args.updates} group-chatter messages ({len(CHATTER)} distinct lines), "
        f"{args.concurrency} concurrent posts; medians of {args.rounds} alternating rounds"
    )
    print(f"bare aiogram SimpleRequestHandler, trivial handler : {base:7.0f} updates/s")
    print(f"ours, durable intake, same trivial handler         : {intake:7.0f} updates/s"
          f"  ratio {intake / base:.2f}")  # fmt: skip
    print(f"ours, durable intake, the product's routers        : {product:7.0f} updates/s"
          f"  ratio {product / base:.2f}  (goal >= 0.70)")  # fmt: skip
    print("(the product's routers classify every line: job query or chatter)")


if __name__ == "__main__":
    asyncio.run(main())
