"""The dashboard in a real headless browser: Debian's chromium driven by playwright.

``make test`` installs chromium when it is missing and it can (root with apt); without
it this test is skipped, saying why. Playwright's own browser download is never used.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.faketime import real_clock_environment
from tests.harness import ADMIN_TOKEN
from tests.staff.conftest import Staff
from tests.staff.scenario import KICKED, VANISHED, broadcast_day

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} is missing: `make test` installs it with apt when run as root",
)


@pytest.fixture
async def page(staff: Staff) -> AsyncIterator[object]:
    from playwright.async_api import async_playwright  # noqa: PLC0415 - only when chromium is

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=ARGS, env=real_clock_environment()
        )
        try:
            context = await browser.new_context(base_url=staff.system.base_url)
            yield await context.new_page()
        finally:
            await browser.close()


async def test_an_admin_signs_in_reads_the_charts_and_opens_a_broadcast(
    staff: Staff, page: object
) -> None:
    from playwright.async_api import Page  # noqa: PLC0415

    assert isinstance(page, Page)
    recorded = await broadcast_day(staff)

    await page.goto("/dashboard/broadcasts")
    assert "/dashboard/login?next=" in page.url
    await page.fill("input[name=password]", ADMIN_TOKEN)
    await page.click("button[type=submit]")
    await page.wait_for_url("**/dashboard/broadcasts")

    await page.click("text=概览")
    await page.wait_for_url("**/dashboard/")
    charts = page.locator("svg.chart")
    assert await charts.count() >= 4
    hourly = page.locator("#chart-hourly rect.bar")
    values = [int(await bar.get_attribute("data-value") or 0) for bar in await hourly.all()]
    assert sum(values) == recorded.delivered
    box = await page.locator("#chart-hourly").bounding_box()
    assert box is not None and box["height"] > 50
    reasons = await page.locator("#chart-outcomes rect.bar").evaluate_all(
        "bars => bars.map(b => b.dataset.label + '=' + b.dataset.value)"
    )
    assert f"failed:chat_not_found={VANISHED}" in reasons
    assert f"failed:forbidden={KICKED}" in reasons

    await page.click("text=群发")
    await page.click("#broadcasts a >> nth=0")
    await page.wait_for_url(re.compile(r".*/dashboard/broadcasts/\d+$"))
    broadcast_id = page.url.rsplit("/", 1)[1]
    _, api = await staff.system.api("GET", f"/api/broadcasts/{broadcast_id}")
    shown = {
        name: int(await page.inner_text(f"[data-count={name}]"))
        for name in ("targeted", "delivered", "failed", "skipped", "pending")
    }
    assert shown == {
        "targeted": api["targeted"],
        "delivered": api["delivered"],
        "failed": sum(api["failed"].values()),
        "skipped": sum(api["skipped"].values()),
        "pending": api["pending"],
    }
    assert shown["delivered"] == recorded.delivered

    await page.select_option("select[name=state]", "failed")
    await page.click("form.filters button")
    rows = page.locator("#outcomes tr[data-state]")
    assert await rows.count() == VANISHED + KICKED


async def test_a_form_posted_without_its_csrf_token_is_refused(staff: Staff, page: object) -> None:
    from playwright.async_api import Page  # noqa: PLC0415

    assert isinstance(page, Page)
    [group] = await staff.groups(1)
    await page.goto("/dashboard/login")
    await page.fill("input[name=password]", ADMIN_TOKEN)
    await page.click("button[type=submit]")
    await page.wait_for_url("**/dashboard/")

    await page.goto("/dashboard/groups")
    form = page.locator(f"tr[data-chat='{group.chat_id}'] form[action$='/tags']")
    await form.locator("input[name=city]").fill("天津")
    await form.locator("input[name=csrf]").evaluate("input => input.remove()")
    async with page.expect_response(lambda r: r.request.method == "POST") as posted:
        await form.locator("button").click()
    assert (await posted.value).status == 403
    assert "请求被拒绝" in await page.inner_text("h1")
    stored = await staff.system.services.groups.get(group.chat_id)
    assert stored is not None and stored.city != "天津"

    await page.goto("/dashboard/groups")
    form = page.locator(f"tr[data-chat='{group.chat_id}'] form[action$='/tags']")
    await form.locator("input[name=city]").fill("天津")
    await form.locator("button").click()
    await page.wait_for_url("**notice=tagged")
    stored = await staff.system.services.groups.get(group.chat_id)
    assert stored is not None and stored.city == "天津"


PHONE_WIDTH, PHONE_HEIGHT = 390, 844
SHOTS = Path(os.environ.get("DASHBOARD_SHOTS", "")) if os.environ.get("DASHBOARD_SHOTS") else None
# Every chart label's rendered size, in CSS pixels: the font size times the SVG's scale.
LABEL_SIZES = """svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map(
    t => parseFloat(getComputedStyle(t).fontSize) * scale);
}"""

# The y-axis tick labels of a chart that lie inside the viewport.
TICKS_IN_VIEW = """svg => [...svg.querySelectorAll('text.tick')]
  .filter(t => { const r = t.getBoundingClientRect();
                 return r.left >= 0 && r.right <= window.innerWidth && r.width > 0; })
  .map(t => t.textContent.trim())"""


async def test_on_a_phone_the_lists_page_and_the_chart_labels_stay_readable(
    staff: Staff, page: object
) -> None:
    from playwright.async_api import Page  # noqa: PLC0415

    assert isinstance(page, Page)
    await broadcast_day(staff, groups=130)
    await page.set_viewport_size({"width": PHONE_WIDTH, "height": PHONE_HEIGHT})
    await page.goto("/dashboard/login")
    await page.fill("input[name=password]", ADMIN_TOKEN)
    await page.click("button[type=submit]")
    await page.wait_for_url("**/dashboard/")

    charts = page.locator("svg.chart")
    assert await charts.count() >= 4
    for chart in await charts.all():
        sizes = await chart.evaluate(LABEL_SIZES)
        assert sizes and min(sizes) >= 10, (await chart.get_attribute("id"), min(sizes))
    # A time series opens at its newest end; its scale is readable there without scrolling.
    timeline = page.locator(".timeline svg.chart").first
    visible = await timeline.evaluate(TICKS_IN_VIEW)
    assert len(set(visible)) == 3, visible  # 0, the middle and the top
    if SHOTS:
        await page.screenshot(path=str(SHOTS / "overview-390.png"), full_page=True)
    # The page itself never scrolls sideways; a wide chart or table scrolls in its panel.
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH

    await page.goto("/dashboard/groups")
    assert await page.locator("tr[data-chat]").count() == 100
    assert "第 1 / 2 页" in await page.inner_text(".pager")
    await page.click(".pager >> text=下一页")
    await page.wait_for_url("**page=2")
    assert await page.locator("tr[data-chat]").count() == 30
    if SHOTS:
        await page.screenshot(path=str(SHOTS / "groups-390.png"), full_page=True)
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
