"""The demo: the real system, driven through the simulator, narrated with progress bars."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import ClientSession, web
from rich.console import Console
from rich.table import Table

from bot.app import create_app
from bot.config import Settings, load_settings
from bot.progress import progress
from bot.services import Services
from bot.sim import TelegramSimulator
from bot.telegram import create_bot, create_dispatcher
from jobfeed.models import Group

DEMO_TOKEN = "100000001:DEMOdemoDEMOdemoDEMOdemoDEMOdemo_000"
SEEKER_ID = 610001
ADMIN_ID = 600001


def demo_settings(port: int) -> Settings:
    """Demo settings: the simulator as Telegram, a server Redis if REDIS_URL is set, else
    the embedded one under var/demo."""
    return load_settings(
        bot_token=DEMO_TOKEN,
        redis_url=os.environ.get("REDIS_URL") or None,
        redis_prefix="demo",
        data_dir=Path("var/demo"),
        admin_ids=frozenset({ADMIN_ID}),
        admin_token=secrets.token_urlsafe(24),
        host="127.0.0.1",
        port=port,
        log_level="WARNING",
        _env_file=None,
    )


class Demo:
    def __init__(self, settings: Settings, samples: Path, speed: float) -> None:
        self.settings = settings
        self.samples = samples
        self.speed = speed
        self.console = Console()
        self.summary: list[tuple[str, str]] = []

    async def run(self) -> None:
        self.console.rule("[bold]招聘助手 demo")
        async with TelegramSimulator(speed=self.speed) as sim:
            self.sim = sim
            settings = self.settings.model_copy(update={"telegram_api_base": sim.base_url})
            self.services = services = await Services.open(settings)
            await self._wipe()
            bot, dispatcher = create_bot(services), create_dispatcher(services)
            app = create_app(services, bot, dispatcher, polling=True)
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            await web.TCPSite(runner, settings.host, settings.port).start()
            self.base_url = f"http://{settings.host}:{settings.port}"
            self.http = ClientSession(
                headers={"Authorization": f"Bearer {settings.admin_token.get_secret_value()}"}
                if settings.admin_token
                else {}
            )
            try:
                for step in self.steps():
                    await step()
                self._print_summary()
            finally:
                await self.http.close()
                await runner.cleanup()
                await services.close()

    def steps(self) -> list[Callable[[], Awaitable[None]]]:
        return [self.register_groups, self.tag_groups, self.chat]

    async def _wipe(self) -> None:
        redis = self.services.redis
        async for key in redis.scan_iter(match=self.services.keys.pattern, count=1000):
            await redis.delete(key)

    def _groups(self) -> list[Group]:
        lines = (self.samples / "groups.jsonl").read_text(encoding="utf-8").splitlines()
        return [Group.model_validate_json(line) for line in lines if line.strip()]

    async def register_groups(self) -> None:
        groups = self._groups()
        for group in groups:
            self.sim.bot_added(group.chat_id, by_user_id=ADMIN_ID, title=group.title)
        with progress() as bar:
            task = bar.add_task("groups joining (my_chat_member)", total=len(groups))
            while (count := await self.services.groups.count()) < len(groups):
                bar.update(task, completed=count)
                await asyncio.sleep(0.1)
            bar.update(task, completed=len(groups))
        self.summary.append(("groups registered through my_chat_member", str(len(groups))))

    async def tag_groups(self) -> None:
        groups = self._groups()
        with progress() as bar:
            task = bar.add_task("admin tags groups (HTTP API)", total=len(groups))
            sem = asyncio.Semaphore(16)

            async def tag(group: Group) -> None:
                body = group.model_dump(
                    mode="json", include={"kind", "city", "province", "industries"}
                )
                async with (
                    sem,
                    self.http.patch(
                        f"{self.base_url}/api/groups/{group.chat_id}", json=body
                    ) as response,
                ):
                    response.raise_for_status()
                bar.advance(task)

            await asyncio.gather(*(tag(g) for g in groups))
        kinds: dict[str, int] = {}
        for group in await self.services.groups.all():
            kinds[group.kind.value] = kinds.get(group.kind.value, 0) + 1
        self.summary.append(
            (
                "recruitment groups / communities",
                f"{kinds.get('recruitment', 0)} / {kinds.get('community', 0)}",
            )
        )

    async def chat(self) -> None:
        """A few job seekers talk in a community group; show what the bot answers."""
        group = next(g for g in self._groups() if g.kind.value == "community")
        path = self.samples / "queries.jsonl"
        queries = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        picked = [q for q in queries if q["form"] in {"sentence", "pinyin", "traditional"}][:3]
        picked += [q for q in queries if not q["is_query"]][:2]
        asked = {}
        for number, query in enumerate(picked):
            update = self.sim.user_message(group.chat_id, SEEKER_ID + number, query["text"])
            asked[update["message"]["message_id"]] = query["text"]
        await self.settle()
        replies = {
            m.reply_to_message_id: m.plain_text
            for m in self.sim.messages_in(group.chat_id)
            if m.reply_to_message_id in asked
        }
        table = Table(title=f"job seekers talking in 「{group.title}」")
        table.add_column("seeker wrote")
        table.add_column("bot answered")
        for message_id, text in asked.items():
            table.add_row(text, replies.get(message_id, "[dim](stays quiet)[/dim]"))
        self.console.print(table)
        answered = sum(1 for m in asked if m in replies)
        self.summary.append(("group messages answered / stayed quiet",
                             f"{answered} / {len(asked) - answered}"))  # fmt: skip

    async def settle(self) -> None:
        """Wait until every update injected so far has been handled."""
        quiet = 0
        while quiet < 3:
            busy = self.sim.pending_updates() or await self.services.inbox.backlog()
            quiet = 0 if busy else quiet + 1
            await asyncio.sleep(0.05)

    def _print_summary(self) -> None:
        table = Table(title="summary")
        table.add_column("what")
        table.add_column("figure", justify="right")
        for what, figure in self.summary:
            table.add_row(what, figure)
        self.console.print(table)
        self.console.print(f"HTTP API: {self.base_url}/openapi.json")
