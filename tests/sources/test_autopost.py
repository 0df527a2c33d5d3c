"""Auto-broadcast rules against the simulator and the real broadcast engine: new vacancies
to the targeted groups, digests within the per-group limit, posts edited or withdrawn when
their vacancy ends."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiogram import Bot
from redis.asyncio import Redis

from bot.telegram.channel import TELEGRAM, TelegramChannel
from bot.telegram.links import TelegramLinks
from devkit.telegram import TelegramSimulator
from handlers.posts import PostCheck
from jobfeed.broadcast.engine import EngineOptions, Worker, run_until_done
from jobfeed.broadcast.liveness import WorkerLiveness
from jobfeed.broadcast.models import Progress
from jobfeed.broadcast.pacing import Pacer, PacingLimits
from jobfeed.broadcast.planner import BroadcastPlanner
from jobfeed.broadcast.plans import BroadcastPlans
from jobfeed.broadcast.quiet import QuietHours
from jobfeed.broadcast.tasks import BroadcastTasks
from jobfeed.expiry import ExpirySweeper
from jobfeed.groups import GroupRepository
from jobfeed.keys import Keys
from jobfeed.models import Group, GroupKind
from jobfeed.sources.autopost import FeedBroadcasts
from jobfeed.sources.config import FeedsConfig, SourceConfig
from jobfeed.sources.importer import VacancyImporter
from jobfeed.sources.jsonl import parse_jsonl
from jobfeed.sources.ledger import FeedLedger
from jobfeed.sources.poller import identity
from jobfeed.sources.records import ImportReport
from jobfeed.texts import Texts
from jobfeed.vacancies import VacancyRepository

from .samples import sample_rows, vacancy_json

USERNAME = "zhaopin_test_bot"
YANTAI = [-1001000000001, -1001000000002]
BAOTOU = -1001000000003


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Matrix:
    """Three groups (two in 烟台, one in 包头), the engine, and a feed pipeline."""

    sim: TelegramSimulator
    bot: Bot
    redis: Redis
    keys: Keys
    store: BroadcastPlans
    vacancies: VacancyRepository
    planner: BroadcastPlanner
    importer: VacancyImporter
    clock: Clock

    def feeds(self, *sources: dict[str, Any], quiet: QuietHours | None = None) -> FeedBroadcasts:
        config = FeedsConfig.model_validate({"source": list(sources)})

        return FeedBroadcasts(
            config,
            FeedLedger(self.redis, self.keys),
            self.planner,
            self.store,
            self.vacancies,
            quiet=quiet,
            clock=self.clock,
        )

    async def feed_in(
        self, feeds: FeedBroadcasts, source: SourceConfig, rows: list[str]
    ) -> ImportReport:
        report = await self.importer.run(parse_jsonl(rows, set()), identity(source))
        await feeds.on_report(source, report)
        return report

    async def deliver(self) -> list[Progress]:
        """Run a broadcast worker until every broadcast so far has finished."""
        _, recent = await self.store.recent(0, 1000)
        limits = PacingLimits(global_rate=25.0, group_limit=20).scaled(self.sim.speed)
        worker = Worker(
            BroadcastTasks(self.redis, self.keys),
            {TELEGRAM: Pacer(self.redis, self.keys, "feeds", limits)},
            {
                TELEGRAM: TelegramChannel(
                    self.bot, links=TelegramLinks(self.bot, USERNAME), texts=Texts()
                )
            },
            GroupRepository(self.redis, self.keys),
            # Few sends in flight: at 30x speed the pacer's 1 s guard is 33 ms of real time.
            EngineOptions(concurrency=4, backoff=0.02, poll=0.02, heartbeat=0.2, dead_after=1.0),
            liveness=WorkerLiveness(self.redis, self.keys),
        )
        return await run_until_done([worker], self.store, [p.id for p in recent], poll=0.02)

    def posts(self) -> Counter[int]:
        return Counter(m.chat_id for m in self.sim.sent if m.method == "sendMessage")

    def edits(self) -> Counter[int]:
        return Counter(e.chat_id for e in self.sim.edits)


@pytest.fixture
async def matrix(
    redis: Redis, keys: Keys, vacancies: VacancyRepository, importer: VacancyImporter
) -> AsyncIterator[Matrix]:
    async with TelegramSimulator(speed=30) as sim:  # a simulated minute lasts 2 s
        groups = GroupRepository(redis, keys)
        for chat_id, city in [(YANTAI[0], "烟台"), (YANTAI[1], "烟台"), (BAOTOU, "包头")]:
            sim.add_chat(chat_id, title=f"{city}求职群")
            await groups.upsert(Group(chat_id=chat_id, kind=GroupKind.community, city=city))
        bot = sim.make_bot()
        store = BroadcastPlans(redis, keys)
        planner = BroadcastPlanner(store, groups, vacancies, PostCheck(Texts()))
        try:
            yield Matrix(sim, bot, redis, keys, store, vacancies, planner, importer, Clock())
        finally:
            await bot.session.close()


def yantai_rows(
    n: int, *, expires_in: timedelta = timedelta(days=20), **changes: Any
) -> list[str]:
    """``n`` different open vacancies in 烟台 (ids Y-0..)."""
    base = sample_rows()[0]
    expires = (datetime.now(UTC) + expires_in).isoformat()
    return [
        vacancy_json(
            base, id=f"Y-{i}", title=f"{base['title']}{i}号岗", expires_at=expires, **changes
        )
        for i in range(n)
    ]


SITE = {"name": "site", "kind": "jsonl", "url": "x", "id_prefix": "", "broadcast": "each"}
TO_YANTAI = {"target": {"city": ["烟台"]}}


async def test_each_new_vacancy_goes_once_to_the_groups_its_source_targets(
    matrix: Matrix,
) -> None:
    feeds = matrix.feeds({**SITE, **TO_YANTAI})
    source = SourceConfig.model_validate({**SITE, **TO_YANTAI})
    report = await matrix.feed_in(feeds, source, yantai_rows(2))
    assert report.new_ids == ["Y-0", "Y-1"]
    await feeds.on_report(source, report)  # a replayed report changes nothing
    await matrix.deliver()
    assert matrix.posts() == {YANTAI[0]: 2, YANTAI[1]: 2}  # not 包头
    post = matrix.sim.messages_in(YANTAI[0])[0]
    assert post.reply_markup is not None
    assert f"https://t.me/{USERNAME}?start=apply_Y-" in str(post.reply_markup)

    # The same vacancies from another source merge: nothing is broadcast twice.
    other = SourceConfig.model_validate({**SITE, **TO_YANTAI, "name": "other", "id_prefix": "o"})
    twin = await matrix.feed_in(feeds, other, yantai_rows(2, employer="瑞丰餐饮管理有限公司"))
    assert (twin.merged, twin.new_ids) == (2, [])
    await matrix.deliver()
    assert matrix.posts() == {YANTAI[0]: 2, YANTAI[1]: 2}


async def test_a_digest_gathers_new_vacancies_into_one_post_per_group_per_interval(
    matrix: Matrix,
) -> None:
    config = {**SITE, **TO_YANTAI, "broadcast": "digest", "digest_every": "1h"}
    feeds = matrix.feeds(config)
    source = SourceConfig.model_validate(config)
    await matrix.feed_in(feeds, source, yantai_rows(25))
    assert matrix.posts() == {}  # gathered, not sent one by one

    sent_per_round = []
    for _ in range(4):
        await feeds.tick()
        await feeds.tick()  # within the interval: nothing more
        await matrix.deliver()
        sent_per_round.append(dict(matrix.posts()))
        matrix.clock.now += timedelta(hours=1)
    one, two, three = (dict.fromkeys(YANTAI, k) for k in (1, 2, 3))
    assert sent_per_round == [one, two, three, three]  # 10 + 10 + 5 vacancies, then done
    first = matrix.sim.messages_in(YANTAI[0])[0]
    assert "今日精选岗位（10个）" in (first.plain_text or "")
    assert matrix.sim.count_429 == 0, matrix.sim.rejections


async def test_digests_stay_within_twenty_posts_per_group_per_minute(matrix: Matrix) -> None:
    config = {**SITE, **TO_YANTAI, "broadcast": "digest", "digest_every": 0.001}
    feeds = matrix.feeds(config)
    source = SourceConfig.model_validate(config)
    await matrix.feed_in(feeds, source, yantai_rows(300))
    for _ in range(24):  # more digests than a group may take in a minute
        await feeds.tick()
        matrix.clock.now += timedelta(seconds=1)
    await matrix.deliver()
    assert matrix.posts() == {YANTAI[0]: 24, YANTAI[1]: 24}
    assert matrix.sim.max_per_chat_per_minute() == 20  # the window used, never exceeded
    assert matrix.sim.count_429 == 0, matrix.sim.rejections


async def test_no_digest_in_quiet_hours_then_one_with_everything_gathered(
    matrix: Matrix,
) -> None:
    config = {**SITE, **TO_YANTAI, "broadcast": "digest", "digest_every": "10m"}
    start = matrix.clock.now.astimezone(QuietHours.parse("00:00-01:00", "UTC").zone)
    window = f"{start:%H:%M}-{(start + timedelta(hours=1)):%H:%M}"
    feeds = matrix.feeds(config, quiet=QuietHours.parse(window, "UTC"))
    source = SourceConfig.model_validate(config)
    await matrix.feed_in(feeds, source, yantai_rows(3))
    matrix.clock.now += timedelta(seconds=30)
    await feeds.tick()
    assert await matrix.store.recent() == (0, [])
    matrix.clock.now += timedelta(hours=1)
    await feeds.tick()
    await matrix.deliver()
    assert matrix.posts() == {YANTAI[0]: 1, YANTAI[1]: 1}


async def test_expiry_edits_the_posts_in_the_groups(matrix: Matrix) -> None:
    feeds = matrix.feeds({**SITE, **TO_YANTAI})
    source = SourceConfig.model_validate({**SITE, **TO_YANTAI})
    await matrix.feed_in(feeds, source, yantai_rows(1, expires_in=timedelta(hours=2)))
    await matrix.deliver()
    assert matrix.posts() == {YANTAI[0]: 1, YANTAI[1]: 1}

    matrix.clock.now += timedelta(hours=3)
    sweeper = ExpirySweeper(matrix.vacancies, on_expired=feeds.on_expired, clock=matrix.clock)
    assert [v.id for v in await sweeper.sweep()] == ["Y-0"]
    await feeds.tick()
    await feeds.tick()  # once is enough: nothing twice
    await matrix.deliver()
    assert matrix.edits() == {YANTAI[0]: 1, YANTAI[1]: 1}
    for chat_id in YANTAI:
        (post,) = matrix.sim.messages_in(chat_id)
        assert "已结束，停止报名" in (post.plain_text or "")
        assert not post.reply_markup  # no apply button on an ended vacancy


async def test_a_vacancy_closed_by_its_feed_is_edited_to_filled_or_withdrawn(
    matrix: Matrix,
) -> None:
    edit = {**SITE, **TO_YANTAI}
    withdraw = {**SITE, "name": "gone", "id_prefix": "g", "on_expiry": "withdraw", **TO_YANTAI}
    feeds = matrix.feeds(edit, withdraw)
    sources = [SourceConfig.model_validate(edit), SourceConfig.model_validate(withdraw)]
    rows = yantai_rows(2)
    await matrix.feed_in(feeds, sources[0], rows[:1])
    await matrix.feed_in(feeds, sources[1], [rows[1].replace("瑞丰", "东方")])
    await matrix.deliver()
    assert matrix.posts() == {YANTAI[0]: 2, YANTAI[1]: 2}

    filled = await matrix.feed_in(feeds, sources[0], [rows[0].replace("}", ', "状态": "已招满"}')])
    gone = await matrix.feed_in(
        feeds, sources[1], [rows[1].replace("瑞丰", "东方").replace("}", ', "status": "closed"}')]
    )
    assert (filled.ended_ids, gone.ended_ids) == (["Y-0"], ["g-Y-1"])
    await feeds.tick()
    await matrix.deliver()
    for chat_id in YANTAI:
        posts = {m.message_id: m for m in matrix.sim.messages_in(chat_id, include_deleted=True)}
        texts = [(m.plain_text or "", m.deleted) for m in posts.values()]
        assert any("已招满，停止报名" in text and not deleted for text, deleted in texts)
        assert sum(deleted for _, deleted in texts) == 1
