"""The poller against a local website: conditional requests, bad entries, timeouts,
garbage, retries with backoff, duplicates across sources and updates."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from jobfeed.models import VacancyStatus
from jobfeed.sources.config import FeedsConfig, FeedsConfigError, SourceConfig, load_feeds
from jobfeed.sources.fetch import Fetcher
from jobfeed.sources.importer import VacancyImporter
from jobfeed.sources.ledger import FeedLedger
from jobfeed.sources.poller import FeedPoller
from jobfeed.vacancies import VacancyRepository

from .feedserver import FeedServer, Route, feed_server
from .samples import sample_rows


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Kit:
    """A website, and the poller's parts on the test's Redis prefix."""

    server: FeedServer
    fetcher: Fetcher
    importer: VacancyImporter
    ledger: FeedLedger
    vacancies: VacancyRepository

    def poller(self, sources: list[dict[str, Any]], clock: Clock | None = None) -> FeedPoller:
        config = FeedsConfig.model_validate(
            {"retry_base": 30, "retry_max": 100, "source": sources}
        )
        return FeedPoller(config, self.fetcher, self.importer, self.ledger, clock=clock or Clock())

    def source(self, name: str, kind: str, path: str, **more: Any) -> dict[str, Any]:
        return {"name": name, "kind": kind, "url": self.server.url(path), **more}


@pytest.fixture
async def kit(
    importer: VacancyImporter, ledger: FeedLedger, vacancies: VacancyRepository
) -> AsyncIterator[Kit]:
    fetcher = Fetcher()
    async with feed_server() as server:
        yield Kit(server, fetcher, importer, ledger, vacancies)
    await fetcher.close()


def api_item(row: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A vacancy as a partner's JSON API writes it: its own key names, pay as text."""
    item = {
        "jobId": row["id"],
        "职位": row["title"],
        "公司": row["employer"],
        "工作地点": f"{row['province']}{row['city']}",
        "薪资": f"{row['salary_min'] // 1000}k-{row['salary_max'] // 1000}k",
        "联系电话": row["contact_phone"],
        "截止日期": row["expires_at"],
        "任职要求": row["requirements"],  # without them the post checker holds it
        "工作内容": row["description"],
    }
    item.update(changes)
    return item


def api_body(items: list[dict[str, Any]]) -> bytes:
    return json.dumps({"code": 0, "data": {"list": items}}, ensure_ascii=False).encode()


def rss_body(entries: list[str]) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0"><channel><title>招聘</title>' + "".join(entries) + "</channel></rss>"
    ).encode()


def rss_entry(guid: str, title: str, employer: str | None, place: str, pay: str) -> str:
    lines = [f"单位：{employer}"] if employer else []
    lines += [f"工作地点：{place}", f"薪资：{pay}"]
    body = "&lt;br&gt;".join(lines)
    return (
        f"<item><guid>{guid}</guid><title>{title}</title><description>{body}</description></item>"
    )


RSS = "application/rss+xml"


async def test_etag_and_last_modified_make_an_unchanged_source_cost_one_304(kit: Kit) -> None:
    rows = sample_rows()[:3]
    kit.server.routes["/api"] = Route(api_body([api_item(r) for r in rows]), etag='"v1"')
    kit.server.routes["/rss"] = Route(
        rss_body([rss_entry("r1", "保洁员", "洁美家政公司", "天津", "4000-5000元/月")]),
        content_type=RSS,
        last_modified="Mon, 23 Nov 2026 01:00:00 GMT",
    )
    poller = kit.poller([kit.source("api", "json", "/api"), kit.source("rss", "rss", "/rss")])
    api, rss = poller.sources
    first, second = await poller.poll(api), await poller.poll(rss)
    assert first is not None and first.imported == 3
    assert second is not None and second.imported == 1
    version = await kit.vacancies.version()

    assert await poller.poll(api) is None
    assert await poller.poll(rss) is None
    assert kit.server.answers("/api") == [200, 304]
    assert kit.server.answers("/rss") == [200, 304]
    assert kit.server.requests[-2].if_none_match == '"v1"'
    assert kit.server.requests[-1].if_modified_since == "Mon, 23 Nov 2026 01:00:00 GMT"
    assert await kit.vacancies.version() == version  # nothing re-imported

    # An update of an existing id: the vacancy changes, the others stay as they are.
    changed_items = [api_item(rows[0], 薪资="9k-12k"), *[api_item(r) for r in rows[1:]]]
    kit.server.routes["/api"] = Route(api_body(changed_items), etag='"v2"')
    changed = await poller.poll(api)
    assert changed is not None
    assert (changed.imported, changed.updated, changed.unchanged) == (0, 1, 2)
    updated = await kit.vacancies.get("api-" + rows[0]["id"])
    assert updated is not None and (updated.salary_min, updated.salary_max) == (9000, 12000)
    assert await kit.vacancies.count() == 4


async def test_a_malformed_entry_is_rejected_with_its_id_and_the_good_ones_go_in(
    kit: Kit,
) -> None:
    entries = [
        rss_entry("g1", "電焊工", "草原铝业有限公司", "内蒙古包头市", "6000-9000元/月"),
        rss_entry("bad1", "焊工", None, "包头", "面议"),
        rss_entry("bad2", "焊工", "草原铝业", "火星基地", "面议"),
        rss_entry("g2", "育婴员", "科尔沁月嫂", "通辽", "日结200"),
    ]
    kit.server.routes["/rss"] = Route(rss_body(entries), content_type=RSS)
    poller = kit.poller([kit.source("rss", "rss", "/rss")])
    report = await poller.poll(poller.sources[0])
    assert report is not None and report.imported == 2
    assert [(r.where, r.reason) for r in report.rejected] == [
        ("entry bad1", "missing employer (单位)"),
        ("entry bad2", "no known city in the place '火星基地'"),
    ]
    welder = await kit.vacancies.get("rss-g1")
    assert welder is not None
    assert (welder.title, welder.city, welder.salary_max) == ("電焊工", "包头", 9000)
    state = await poller.state("rss")
    assert state.report() == report.to_json() and state.failures == 0


async def test_a_slow_source_times_out_is_retried_with_backoff_and_the_others_go_on(
    kit: Kit,
) -> None:
    rows = sample_rows()[:2]
    kit.server.routes["/slow"] = Route(api_body([api_item(rows[0])]), delay=1.0)
    kit.server.routes["/fast"] = Route(api_body([api_item(rows[1])]))
    clock = Clock()
    poller = kit.poller(
        [kit.source("slow", "json", "/slow", timeout=0.2), kit.source("fast", "json", "/fast")],
        clock,
    )
    await poller.poll_due()
    slow = await poller.state("slow")
    assert (slow.failures, slow.last_error) == (1, "timed out after 0.2 s")
    assert slow.next_at == clock.now + 30  # retry_base
    assert [v.id for v in await kit.vacancies.all()] == ["fast-" + rows[1]["id"]]

    clock.now += 31
    await poller.poll_due()
    assert (await poller.state("slow")).next_at == clock.now + 60  # doubled
    assert kit.server.answers("/fast") == [200]  # not due yet: not asked again

    kit.server.routes["/slow"].delay = 0
    clock.now += 61
    await poller.poll_due()
    slow = await poller.state("slow")
    assert (slow.failures, slow.last_error, slow.next_at) == (0, "", clock.now + 600)
    assert await kit.vacancies.count() == 2


@pytest.mark.parametrize(
    ("kind", "body", "error"),
    [
        ("rss", b"\x89PNG\r\n\x1a\n\x00\x00garbage\xff\xfe", "not an RSS or Atom feed"),
        ("json", b"\x00\xff{{{ not json", "not JSON"),
        ("json", b'{"message": "rate limited"}', "no list of vacancies"),
        ("jsonl", b"\xff\xfe\xfd\x00\x81", "neither UTF-8 nor GB18030"),
        ("csv", "名字,年龄\n张三,30\n".encode(), "no title column"),
    ],
)
async def test_garbage_is_reported_and_retried_later_with_a_growing_delay(
    kit: Kit, kind: str, body: bytes, error: str
) -> None:
    kit.server.routes["/feed"] = Route(body, content_type="application/octet-stream")
    clock = Clock()
    poller = kit.poller([kit.source("junk", kind, "/feed")], clock)
    delays = []
    for _ in range(4):
        assert await poller.poll(poller.sources[0]) is None
        state = await poller.state("junk")
        assert error in state.last_error
        delays.append(state.next_at - clock.now)
    assert delays == [30, 60, 100, 100]  # doubling, capped at retry_max
    assert state.failures == 4
    assert await kit.vacancies.count() == 0


async def test_the_same_vacancy_from_two_sources_becomes_one(kit: Kit) -> None:
    row = sample_rows()[1]  # 叉车操作员, 草原物流有限公司, 烟台
    kit.server.routes["/api"] = Route(api_body([api_item(row, jobId="123")]))
    twin = rss_entry("123", "叉車操作員", "草原物流公司", "山东省烟台市", "面议")
    kit.server.routes["/rss"] = Route(rss_body([twin]), content_type=RSS)
    poller = kit.poller([kit.source("api", "json", "/api"), kit.source("rss", "rss", "/rss")])
    reports = [await poller.poll(source) for source in poller.sources]
    assert [(r.imported, r.merged, r.new_ids) for r in reports if r] == [
        (1, 0, ["api-123"]),
        (0, 1, []),
    ]
    (only,) = await kit.vacancies.all()
    assert only.id == "api-123" and only.status is VacancyStatus.active


async def test_the_running_poller_polls_on_its_interval_and_stops_at_once(kit: Kit) -> None:
    kit.server.routes["/api"] = Route(api_body([api_item(sample_rows()[0])]), etag='"1"')
    config = FeedsConfig.model_validate(
        {"source": [kit.source("api", "json", "/api", interval=0.1)]}
    )
    poller = FeedPoller(config, kit.fetcher, kit.importer, kit.ledger)
    stop = asyncio.Event()
    task = asyncio.create_task(poller.run(stop))
    for _ in range(100):
        if len(kit.server.requests) >= 3:
            break
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(task, timeout=1)
    assert kit.server.answers("/api")[:3] == [200, 304, 304]
    assert await kit.vacancies.count() == 1


def test_the_sources_file_is_checked_and_names_the_culprit(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(
        '[[source]]\nname = "a"\nkind = "rss"\nurl = "https://x"\ninterval = "soon"\n',
        encoding="utf-8",
    )
    with pytest.raises(FeedsConfigError, match="source a: interval: 'soon' is not a duration"):
        load_feeds(path)
    path.write_text('[[source]]\nname = "a"\nkind = "xml"\nurl = "u"\n', encoding="utf-8")
    with pytest.raises(FeedsConfigError, match="source a: kind"):
        load_feeds(path)
    assert SourceConfig(name="a", kind="rss", url="u", interval="10m").interval == 600


def test_the_sample_sources_file_is_valid() -> None:
    sample = Path(__file__).resolve().parents[2] / "samples" / "feeds.toml"
    config = load_feeds(sample)
    assert config.sources and all(s.name for s in config.sources)
