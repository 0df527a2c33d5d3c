"""The demo: the real system, driven through the simulator, narrated with progress bars.

Everything a user would see goes through the real paths: groups join through
``my_chat_member`` updates, an admin tags them through the HTTP API, vacancies come in
through the feed importer, the broadcast engine posts to the matrix within the
(simulated) limits, job seekers talk in a group and one applies in private chat, another
through the WeChat Official Account (against the WeChat simulator).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import ClientSession, web
from rich.console import Console
from rich.table import Table

from bot.app import create_app
from bot.appkeys import (
    BOT,
    GROUPS,
    INBOX,
    KEYS,
    LEDGER,
    LINKS,
    PACER,
    PLACES,
    PLANNER,
    PLANS,
    REDIS,
    SETTINGS,
    STATS,
    TEXTS,
    VACANCIES,
)
from bot.broadcasting import Crew, run_here
from bot.config import Settings, load_settings
from bot.factories import keys_of, make_importer, make_wecom, redis_handle
from bot.progress import progress
from bot.summary import dashboard_url, stats_rows
from devkit.demo import official_account as oa
from devkit.demo.official_account import follower_applies, oa_settings
from devkit.demo.seeker import apply_as_seeker
from devkit.telegram import TelegramSimulator
from devkit.wechat import WeChatApiSimulator
from devkit.wecom import WeComSimulator
from jobfeed.broadcast.models import Progress
from jobfeed.intake import UpdateInbox
from jobfeed.models import Group, GroupFilter, GroupKind, utcnow
from jobfeed.sources.formats import count_records, kind_of, records_from_file
from jobfeed.sources.normalise import SourceIdentity
from jobfeed.sources.snapshot import read_moved_to

_FORM_TOKEN = re.compile(r'name="token" value="([^"]+)"')
_NUMBER = re.compile(r'id="number">(\d+)<')
DEMO_TOKEN = "100000001:DEMOdemoDEMOdemoDEMOdemoDEMOdemo_000"
SEEKER_ID = 610001
ADMIN_ID = 600001
RECRUITER_ID = 600002


def demo_settings(port: int, speed: float) -> Settings:
    """The simulator as Telegram; a server Redis if REDIS_URL is set, else the embedded
    one under var/demo. Our pacing runs ``speed`` times faster, like the simulator."""
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
        # Headroom below Telegram's 30/s: at 10x, a 10 ms stall of this busy process is
        # a tenth of a simulated second, and the sends behind it bunch up.
        global_rate=min(25 * speed, 1000),
        group_rate_per_minute=min(int(20 * speed), 1000),
        _env_file=None,
    )


class Demo:
    def __init__(self, settings: Settings, samples: Path, speed: float) -> None:
        self.settings = settings
        self.samples = samples
        self.speed = speed
        self.console = Console()
        self.summary: list[tuple[str, str]] = []
        self.vacancy_id = ""

    async def run(self, *, keep_running: bool = False) -> None:
        self.console.rule("[bold]招聘助手 demo")
        self.console.print(
            f"Telegram is our Bot API simulator, {self.speed:g}× faster than real time; "
            "everything else is the real system."
        )
        async with (
            TelegramSimulator(speed=self.speed) as sim,
            WeChatApiSimulator(oa.APPID, oa.SECRET) as wechat,
            WeComSimulator(speed=self.speed) as wecom,
        ):
            self.sim, self.wechat, self.wecom = sim, wechat, wecom
            changes = {
                "telegram_api_base": sim.base_url,
                "wecom_api_base": wecom.base_url,
                **oa_settings(wechat.base_url),
            }
            settings = self.settings.model_copy(update=changes)
            await _wipe(settings)
            self.app = app = create_app(settings, polling=True)
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            self.bot = app[BOT]
            await web.TCPSite(runner, settings.host, settings.port).start()
            self.base_url = f"http://{settings.host}:{settings.port}"
            token = settings.admin_token.get_secret_value() if settings.admin_token else ""
            self.http = ClientSession(headers={"Authorization": f"Bearer {token}"})
            try:
                for step in self.steps():
                    await step()
                await self._print_summary(token)
                if keep_running:
                    self.console.print(
                        "Serving the dashboard until Ctrl-C or SIGTERM (`--exit` to stop here) …"
                    )
                    await asyncio.Event().wait()
            finally:
                await self.http.close()
                await runner.cleanup()

    def _crew(self) -> Crew:
        app = self.app
        settings, redis, keys = app[SETTINGS], app[REDIS], app[KEYS]
        wecom = make_wecom(settings, redis, keys)
        return Crew(settings, redis, keys, self.bot, app[PACER], app[LINKS], app[TEXTS], wecom)

    def steps(self) -> list[Callable[[], Awaitable[None]]]:
        return [
            self.register_groups,
            self.tag_groups,
            self.import_vacancies,
            self.broadcast,
            self.chat,
            self.apply,
            self.apply_on_the_web,
            self.poster,
            self.official_account,
        ]

    def _groups(self) -> list[Group]:
        lines = (self.samples / "groups.jsonl").read_text(encoding="utf-8").splitlines()
        return [Group.model_validate_json(line) for line in lines if line.strip()]

    async def register_groups(self) -> None:
        groups = self._groups()
        for group in groups:
            self.sim.bot_added(int(group.chat_id), by_user_id=ADMIN_ID, title=group.title)
        with progress() as bar:
            task = bar.add_task("groups add the bot (my_chat_member)", total=len(groups))
            while (count := await self.app[GROUPS].count()) < len(groups):
                bar.update(task, completed=count)
                await asyncio.sleep(0.1)
            bar.update(task, completed=len(groups))
        self.summary.append(("groups registered through my_chat_member", str(len(groups))))

    async def tag_groups(self) -> None:
        groups = self._groups()
        sem = asyncio.Semaphore(16)
        with progress() as bar:
            task = bar.add_task("admin tags the groups (HTTP API)", total=len(groups))

            async def tag(group: Group) -> None:
                body = group.model_dump(
                    mode="json", include={"kind", "city", "province", "industries"}
                )
                url = f"{self.base_url}/api/groups/{group.chat_id}"
                async with sem, self.http.patch(url, json=body) as response:
                    response.raise_for_status()
                bar.advance(task)

            await asyncio.gather(*(tag(g) for g in groups))
        tagged = await self.app[GROUPS].all()
        recruitment = sum(1 for g in tagged if g.kind is GroupKind.recruitment)
        self.summary.append(
            ("recruitment groups / communities", f"{recruitment} / {len(tagged) - recruitment}")
        )

    async def import_vacancies(self) -> None:
        path = await asyncio.to_thread(_dated_today, self.samples / "vacancies.jsonl")
        kind = kind_of(path)
        assert kind is not None
        importer = make_importer(
            self.settings, self.app[VACANCIES], self.app[LEDGER], places=self.app[PLACES]
        )
        with progress() as bar:
            task = bar.add_task("website feed → vacancies", total=count_records(kind, path))
            report = await importer.run(
                records_from_file(kind, path, set()),
                SourceIdentity("samples"),
                progress=lambda n: bar.advance(task, n),
            )
        self.summary.append(
            ("vacancies imported / rejected", f"{report.imported} / {len(report.rejected)}")
        )

    async def broadcast(self) -> None:
        vacancies = await self.app[VACANCIES].get_many(["D-00000"])
        vacancy = vacancies[0] if vacancies else (await self.app[VACANCIES].all())[0]
        vacancy = vacancy.model_copy(update={"recruiter_id": RECRUITER_ID})
        await self.app[VACANCIES].save(vacancy)
        self.vacancy_id = vacancy.id
        self.sim.add_user(RECRUITER_ID, "招聘专员")
        province = GroupFilter(province=[vacancy.province])
        preview = await self.app[PLANNER].preview(province)
        everyone = GroupFilter()
        self.console.print(
            f"Broadcasting 「{vacancy.title}」 ({vacancy.employer}, {vacancy.city}): "
            f"{len(preview)} groups in {vacancy.province}, "
            f"{len(await self.app[PLANNER].preview(everyone))} in the whole matrix."
        )
        await self._register_robots(vacancy.province, vacancy.city)
        created = await self.app[PLANNER].create([vacancy.id], everyone, key="demo")
        throttled_before = self.sim.count_429
        planned = await self.app[PLANS].progress(created.id)
        assert planned is not None
        with progress() as bar:
            task = bar.add_task("broadcast to the matrix", total=planned.targeted)

            def show(states: list[Progress]) -> None:
                state = states[0]
                bar.update(task, completed=state.targeted - state.pending)

            crew = self._crew()
            try:
                final = await run_here(crew, [created.id], workers=2, on_progress=show)
            finally:
                await crew.close()
        state = final[0]
        failed = sum(state.failed.values())
        self.summary.append(
            ("broadcast: targeted / delivered / failed / pending",
             f"{state.targeted} / {state.delivered} / {failed} / {state.pending}")
        )  # fmt: skip
        self.summary.append(
            (
                "broadcast by channel: delivered / targeted",
                ", ".join(
                    f"{name} {part.delivered} / {part.targeted}"
                    for name, part in sorted(state.by_channel.items())
                ),
            )
        )
        robots_over = sum(r.over_limit for r in self.wecom.robots.values())
        self.summary.append(
            ("WeCom robots: posts received / over 20 a minute",
             f"{sum(len(r.texts) for r in self.wecom.robots.values())} / {robots_over}")
        )  # fmt: skip
        self.summary.append(
            ("broadcast: 429s / densest simulated second / group-minute",
             f"{self.sim.count_429 - throttled_before} / {self.sim.max_rate_observed(1.0)} / "
             f"{self.sim.max_per_chat_per_minute()}")
        )  # fmt: skip

    async def _register_robots(self, province: str, city: str) -> None:
        """WeCom groups join the matrix: an admin registers each group's robot by its
        webhook URL (a secret the API shows masked from then on)."""
        places = [(province, city)] * 4 + [("内蒙古", "包头"), ("内蒙古", "通辽")] * 4
        for n, (in_province, in_city) in enumerate(places, 1):
            robot = self.wecom.add_robot()
            body = {
                "name": f"{in_city}招工企业微信群{n}",
                "webhook": self.wecom.webhook_url(robot),
                "city": in_city,
                "province": in_province,
            }
            async with self.http.post(f"{self.base_url}/api/wecom/robots", json=body) as r:
                r.raise_for_status()
        self.console.print(f"{len(places)} WeCom group robots registered through the API.")

    async def chat(self) -> None:
        """Job seekers talk in a community group; show what the bot answers."""
        group = next(g for g in self._groups() if g.kind is GroupKind.community)
        path = self.samples / "queries.jsonl"
        queries = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        picked = [
            next(q for q in queries if q["form"] == form)
            for form in ("sentence", "pinyin", "traditional", "typo")
        ] + [q for q in queries if not q["is_query"]][:2]
        asked: dict[int, str] = {}
        for number, query in enumerate(picked):
            self.sim.add_user(SEEKER_ID + number, "工友")
            update = self.sim.user_message(int(group.chat_id), SEEKER_ID + number, query["text"])
            asked[update["message"]["message_id"]] = query["text"]
            await self.settle()
        replies = {
            m.reply_to_message_id: _first_lines(m.plain_text or "", 3)
            for m in self.sim.messages_in(int(group.chat_id))
            if m.reply_to_message_id in asked
        }
        table = Table(title=f"job seekers talking in 「{group.title}」")
        table.add_column("a job seeker wrote")
        table.add_column("the bot answered (threaded reply)")
        for message_id, text in asked.items():
            table.add_row(text, replies.get(message_id, "[dim](stays quiet)[/dim]"))
        self.console.print(table)
        answered = sum(1 for m in asked if m in replies)
        self.summary.append(
            (
                "group messages answered / ignored as chatter",
                f"{answered} / {len(asked) - answered}",
            )
        )

    async def apply(self) -> None:
        """One job seeker taps "apply" under the post and goes through the conversation."""
        self.console.print(f"A job seeker applies to {self.vacancy_id} in private chat …")
        last = await apply_as_seeker(self.sim, self.vacancy_id, SEEKER_ID + 100)
        await self.settle()
        cards = [m for m in self.sim.messages_in(RECRUITER_ID) if "新报名" in (m.plain_text or "")]
        self.console.print(f"  the seeker was told: {_first_lines(last.plain_text or '', 2)}")
        if cards:
            card = cards[0].plain_text or cards[0].text or ""
            self.console.print(f"  the recruiter received: {_first_lines(card, 4)}")
        self.summary.append(("applications delivered to the recruiter", str(len(cards))))

    async def apply_on_the_web(self) -> None:
        """A job seeker in WeChat opens the job page and files the H5 form (no script)."""
        self.console.print(f"A job seeker applies to {self.vacancy_id} on its web page …")
        page_url = f"{self.base_url}/jobs/{self.vacancy_id}"
        async with self.http.get(page_url) as response:
            html = await response.text()
        found = _FORM_TOKEN.search(html)
        if found is None:
            self.summary.append(("web applications filed", "0 (the page has no form)"))
            return
        form = {
            "token": found.group(1),
            "name": "李娜",
            "phone": "13912345678",
            "age": "1992",
            "city": "包头",
            "consent": "yes",
            "action": "apply",
        }
        async with self.http.post(f"{page_url}/apply", data=form) as response:
            answer = await response.text()
            landed = str(response.url)
        number = _NUMBER.search(answer)
        await self.settle()
        if number:
            self.console.print(
                f"  the page answered 报名成功, application {number.group(1)}; "
                f"status page {landed.removeprefix(self.base_url).split('?')[0]}"
            )
        self.summary.append(("web applications filed", "1" if number else "0"))

    async def poster(self) -> None:
        """The poster a recruiter forwards into WeChat groups, written to disk."""
        async with self.http.get(f"{self.base_url}/jobs/{self.vacancy_id}/poster.png") as r:
            if r.status != 200:
                self.summary.append(("poster", f"not drawn ({r.status}: `make fonts`)"))
                return
            image = await r.read()
        out = Path("var/demo") / f"poster-{self.vacancy_id}.png"
        await asyncio.to_thread(out.write_bytes, image)
        self.console.print(f"The vacancy's poster (QR code of its page): {out}")
        self.summary.append(("poster written", str(out)))

    async def official_account(self) -> None:
        """A follower of the WeChat Official Account searches and applies there."""
        vacancy = await self.app[VACANCIES].get(self.vacancy_id)
        assert vacancy is not None
        before = self._cards()
        last = await follower_applies(self.console, self.http, self.base_url, self.wechat, vacancy)
        await self.settle()
        self.console.print(f"  the follower was told: {_first_lines(last, 2)}")
        self.summary.append(
            (
                "Official Account applications delivered to the recruiter",
                str(self._cards() - before),
            )
        )

    def _cards(self) -> int:
        return sum("新报名" in (m.plain_text or "") for m in self.sim.messages_in(RECRUITER_ID))

    async def settle(self) -> None:
        await settled(self.sim, self.app[INBOX], within=60.0)

    async def _print_summary(self, token: str) -> None:
        table = Table(title="summary")
        table.add_column("what")
        table.add_column("figure", justify="right")
        for what, figure in self.summary + await stats_rows(self.app[STATS]):
            table.add_row(what, figure)
        self.console.print(table)
        self.console.print(f"Dashboard: {dashboard_url(self.base_url)}  (admin token: {token})")
        self.console.print(f"HTTP API:  {self.base_url}/openapi.json")


async def settled(sim: TelegramSimulator, inbox: UpdateInbox, *, within: float) -> None:
    """Wait until every update injected into ``sim`` so far has been fetched, logged and
    handled: three quiet looks in a row, nothing is moving any more."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    quiet = 0
    while quiet < 3:
        busy = sim.pending_updates() or await inbox.backlog()
        quiet = 0 if busy else quiet + 1
        if loop.time() > deadline:
            raise TimeoutError(f"updates still being processed after {within:.1f} s")
        await asyncio.sleep(0.02)


def _dated_today(path: Path) -> Path:
    """A copy of the sample feed moved in time so its newest vacancy was posted just now
    (the sample is a snapshot; its deadlines would otherwise pass)."""
    rows = read_moved_to(path, utcnow())
    out = Path("var/demo") / path.name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return out


def _first_lines(text: str, count: int) -> str:
    return "\n".join(text.strip().splitlines()[:count])


async def _wipe(settings: Settings) -> None:
    """The demo starts from nothing: every key of its prefix goes before the app starts."""
    async with redis_handle(settings) as handle:
        pattern = keys_of(settings).pattern
        async for key in handle.client.scan_iter(match=pattern, count=1000):
            await handle.client.delete(key)
