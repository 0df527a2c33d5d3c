"""Importing: the same vacancies from JSON Lines and from a Chinese-headed CSV, updates,
bad rows among good ones, and near-duplicates across sources."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.models import Vacancy, VacancyStatus
from jobfeed.sources.config import SourceKind
from jobfeed.sources.formats import records_from_bytes
from jobfeed.sources.importer import VacancyImporter
from jobfeed.sources.jsonl import parse_jsonl
from jobfeed.sources.ledger import FeedLedger
from jobfeed.sources.normalise import SourceIdentity
from jobfeed.sources.records import ImportReport
from jobfeed.vacancies import VacancyRepository

from .conftest import make_normaliser
from .samples import chinese_csv, sample_rows, vacancy_json

FILE = SourceIdentity("file")
BOOKKEEPING = {"updated_at", "source", "compliance"}  # compliance: the post checker's verdict


async def import_jsonl(
    importer: VacancyImporter, rows: Iterable[str], source: SourceIdentity = FILE
) -> ImportReport:
    return await importer.run(parse_jsonl([row + "\n" for row in rows], set()), source)


def comparable(vacancies: Iterable[Vacancy]) -> dict[str, dict[str, Any]]:
    return {v.id: v.model_dump(exclude=BOOKKEEPING) for v in vacancies}


async def test_the_sample_jsonl_and_a_chinese_csv_of_it_give_the_same_vacancies(
    redis: Redis, keys: Keys, importer: VacancyImporter, vacancies: VacancyRepository
) -> None:
    rows = sample_rows()
    report = await import_jsonl(importer, [vacancy_json(r) for r in rows])
    assert (report.imported, report.rejected) == (len(rows), [])
    from_jsonl = comparable(await vacancies.all())
    expected = {r["id"]: Vacancy.model_validate(r).model_dump(exclude=BOOKKEEPING) for r in rows}
    assert from_jsonl == expected  # ids (D-00042) and every field as in the feed

    csv_keys = Keys(prefix=keys.prefix + "-csv")
    csv_repo = VacancyRepository(redis, csv_keys)
    csv_importer = VacancyImporter(csv_repo, FeedLedger(redis, csv_keys), make_normaliser())
    try:
        body = chinese_csv(rows).encode("gb18030")  # as Excel on Chinese Windows saves it
        unknown: set[str] = set()
        report = await csv_importer.run(records_from_bytes(SourceKind.csv, body, unknown), FILE)
        assert (report.imported, report.rejected, unknown) == (len(rows), [], set())
        assert comparable(await csv_repo.all()) == from_jsonl
    finally:
        async for key in redis.scan_iter(match=csv_keys.pattern):
            await redis.delete(key)


async def test_a_second_import_of_the_same_rows_changes_nothing_and_an_edit_updates(
    importer: VacancyImporter, vacancies: VacancyRepository
) -> None:
    rows = sample_rows()[:5]
    await import_jsonl(importer, [vacancy_json(r) for r in rows])
    version = await vacancies.version()

    again = await import_jsonl(importer, [vacancy_json(r) for r in rows])
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 5)
    assert await vacancies.version() == version  # no rewrite, no re-indexing

    edited = [vacancy_json(rows[0], salary_max=9900, title="高級電焊工")]
    report = await import_jsonl(importer, edited)
    assert (report.imported, report.updated) == (0, 1)
    stored = await vacancies.get(rows[0]["id"])
    assert stored is not None and (stored.salary_max, stored.title) == (9900, "高級電焊工")
    assert await vacancies.count() == 5


async def test_bad_rows_are_reported_by_line_and_reason_and_the_good_ones_imported(
    importer: VacancyImporter, vacancies: VacancyRepository
) -> None:
    good = sample_rows()[:3]
    rows = [
        vacancy_json(good[0]),
        '{"id": "X-1", "title": "焊工", ',  # cut off
        vacancy_json(good[1], employer=""),
        '["not", "an", "object"]',
        vacancy_json(good[2], id="X-2", contact_phone="110"),
        vacancy_json(good[2]),
    ]
    report = await import_jsonl(importer, rows)
    assert report.imported == 2
    assert [(r.where, r.reason.split(" (")[0]) for r in report.rejected] == [
        ("line 2", "not JSON"),
        ("line 3 (id D-00001)", "missing employer"),
        ("line 4", "a JSON list, not an object"),
        ("line 5 (id X-2)", "contact phone: not a valid Chinese phone number"),
    ]
    ids = {v.id for v in await vacancies.all()}
    assert ids == {good[0]["id"], good[2]["id"]}  # nothing of the bad rows was written


async def test_two_sources_ids_do_not_collide(
    importer: VacancyImporter, vacancies: VacancyRepository
) -> None:
    row = sample_rows()[0]
    a = await import_jsonl(importer, [vacancy_json(row, id="123")], SourceIdentity("a", "a"))
    other = vacancy_json(row, id="123", title="保洁员", employer="另一家公司")
    b = await import_jsonl(importer, [other], SourceIdentity("b", "b"))
    assert (a.new_ids, b.new_ids) == (["a-123"], ["b-123"])
    found = await vacancies.get_many(["a-123", "b-123"])
    assert [v.title for v in found] == [row["title"], "保洁员"]


async def test_near_duplicates_across_sources_merge_into_one_vacancy(
    importer: VacancyImporter, vacancies: VacancyRepository
) -> None:
    row = sample_rows()[1]  # 叉车操作员 at 草原物流有限公司 in 烟台
    later = datetime.fromisoformat(row["expires_at"]) + timedelta(days=60)
    first = await import_jsonl(importer, [vacancy_json(row, id="1")], SourceIdentity("a", "a"))
    twin = vacancy_json(
        row,
        id="77",
        title="叉車操作員（急招）",
        employer="草原物流公司",
        city="烟台市",
        province="山东省",
        expires_at=later.isoformat(),
        benefits=["五险一金"],
    )
    second = await import_jsonl(importer, [twin], SourceIdentity("b", "b"))
    assert (first.imported, second.imported, second.merged) == (1, 0, 1)
    assert second.new_ids == []  # nothing new: nothing to broadcast twice
    (merged,) = await vacancies.all()
    assert merged.id == "a-1" and merged.title == row["title"]
    assert merged.expires_at == later  # the later deadline
    assert "五险一金" in merged.benefits

    # The twin's later edits still land on the merged vacancy, never on a new one.
    again = await import_jsonl(
        importer, [twin.replace("五险一金", "带薪年假")], SourceIdentity("b", "b")
    )
    assert (again.imported, again.merged, again.updated) == (0, 0, 1)
    assert await vacancies.count() == 1


async def test_alike_vacancies_of_one_source_or_of_other_trades_stay_apart(
    importer: VacancyImporter, vacancies: VacancyRepository
) -> None:
    row = sample_rows()[1]
    same_source = [vacancy_json(row, id="1"), vacancy_json(row, id="2")]
    await import_jsonl(importer, same_source, SourceIdentity("a", "a"))
    other_trade = vacancy_json(row, id="9", title="叉车维修工")
    other_city = vacancy_json(row, id="10", city="包头", province="内蒙古")
    report = await import_jsonl(importer, [other_trade, other_city], SourceIdentity("b", "b"))
    assert (report.imported, report.merged) == (2, 0)
    assert await vacancies.count() == 4


async def test_a_closed_vacancy_does_not_absorb_a_new_opening(
    importer: VacancyImporter, vacancies: VacancyRepository
) -> None:
    row = sample_rows()[1]
    await import_jsonl(importer, [vacancy_json(row, id="1", status="已招满")], SourceIdentity("a"))
    report = await import_jsonl(importer, [vacancy_json(row, id="1")], SourceIdentity("b", "b"))
    assert (report.imported, report.merged) == (1, 0)
    statuses = {v.id: v.status for v in await vacancies.all()}
    assert statuses == {"1": VacancyStatus.closed, "b-1": VacancyStatus.active}
