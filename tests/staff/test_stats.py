"""``/stats`` and ``/api/stats`` report exactly what the simulator recorded."""

from __future__ import annotations

import re

from bot.summary import dashboard_url, stats_rows
from tests.harness import ADMIN_ID
from tests.staff.conftest import Staff, texts_of
from tests.staff.scenario import APPLICANTS, KICKED, VANISHED, broadcast_day


def figures(text: str) -> dict[str, int]:
    """The numbers of one period block of the /stats message, by their Chinese label."""
    found = {
        label: int(value)
        for label, value in re.findall(r"(群发|送达|失败|搜索|无结果|报名) (\d+)", text)
    }
    for label, value in re.findall(r"(群不存在|被移出群/无权限) (\d+)", text):
        found[label] = int(value)
    return found


async def test_stats_in_chat_equal_what_the_simulator_recorded(staff: Staff) -> None:
    recorded = await broadcast_day(staff, real_applicants=True)
    assert recorded.delivered == recorded.targeted - VANISHED - KICKED  # the scenario works
    assert recorded.applications == APPLICANTS  # every seeker's card reached the recruiter

    [reply] = texts_of(await staff.say(ADMIN_ID, "/stats"))

    today, _, rest = reply.partition("最近 7 天")
    week, _, groups = rest.partition("群组")
    for block in (today, week):
        numbers = figures(block)
        assert numbers["群发"] == 1
        assert numbers["送达"] == recorded.delivered
        assert numbers["失败"] == sum(recorded.failures.values())
        assert numbers["群不存在"] == recorded.failures["chat_not_found"] == VANISHED
        assert numbers["被移出群/无权限"] == recorded.failures["forbidden"] == KICKED
        assert numbers["报名"] == recorded.applications
        assert f"（Telegram {recorded.applications}）" in block
    # Failed groups left the matrix: they are inactive now.
    assert f"活跃 {recorded.targeted - VANISHED - KICKED}" in groups
    assert f"停用 {VANISHED + KICKED}" in groups


async def test_the_api_reports_the_same_figures(staff: Staff) -> None:
    recorded = await broadcast_day(staff)

    status, report = await staff.system.api("GET", "/api/stats")

    assert status == 200
    for period in ("today", "week"):
        assert report[period]["broadcasts"] == 1
        assert report[period]["delivered"] == recorded.delivered
        assert report[period]["failures"] == dict(recorded.failures)
        assert report[period]["applications"] == recorded.applications
        assert report[period]["applications_by_source"] == {"telegram": recorded.applications}
    assert report["groups_inactive"] == VANISHED + KICKED
    status, hours = await staff.system.api("GET", "/api/stats/deliveries?by=hour&span=24")
    assert status == 200 and sum(p["value"] for p in hours["points"]) == recorded.delivered
    status, funnel = await staff.system.api("GET", "/api/stats/funnel")
    [row] = funnel["vacancies"]
    assert (row["targeted"], row["delivered"], row["applications"]) == (
        recorded.targeted,
        recorded.delivered,
        recorded.applications,
    )
    assert (await staff.system.api("GET", "/api/stats", token=None))[0] == 401


async def test_the_demo_summary_rows_are_the_same_figures(staff: Staff) -> None:
    recorded = await broadcast_day(staff)
    rows = dict(await stats_rows(staff.system.services.stats))
    assert rows["deliveries today"] == rows["deliveries 7 days"] == str(recorded.delivered)
    assert rows["failures today"] == f"{VANISHED + KICKED} (chat_not_found 3, forbidden 2)"
    assert (
        rows["applications today"] == f"{recorded.applications} (telegram {recorded.applications})"
    )
    assert rows["groups active / inactive"] == f"{recorded.delivered} / {VANISHED + KICKED}"
    assert dashboard_url("http://127.0.0.1:8080/") == "http://127.0.0.1:8080/dashboard/"


async def test_search_counts_equal_the_answers_the_simulator_saw(staff: Staff) -> None:
    await broadcast_day(staff, groups=20)
    matrix = [g.chat_id for g in await staff.system.services.groups.all() if g.active]
    asked = ["烟台招电焊工吗", "/jobs 电焊工", "有没有招飞行员的", "/jobs 宇航员", "今天天气真好"]
    answers = []
    for n, text in enumerate(asked):  # each in its own group, so no throttle holds one back
        replies = await staff.say(820000 + n, text, chat_id=matrix[n])
        answers += [r for r in replies if r.reply_to_message_id is not None]

    zero = [a for a in answers if "没有找到" in (a.plain_text or "")]
    assert len(answers) >= 3 and zero, [a.plain_text for a in answers]
    [reply] = texts_of(await staff.say(ADMIN_ID, "/stats"))
    today = figures(reply.partition("最近 7 天")[0])
    assert (today["搜索"], today["无结果"]) == (len(answers), len(zero))
    _, api = await staff.system.api("GET", "/api/stats/search?days=1")
    assert (api["searches"], api["zero_results"]) == (len(answers), len(zero))
