"""The apply form in a real browser the size of a phone (390×844, as WeChat's in-app
browser on an iPhone 14), with JavaScript off: Debian's chromium driven by playwright.
Without chromium this is skipped, saying why (``make test`` installs it as root).

``APPLY_SHOTS=DIR`` keeps screenshots of the form, its refusal and the result page."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.models import ScreeningQuestion
from tests.conftest import redis_url
from tests.faketime import real_clock_environment
from tests.handlers.resume_chat import RECRUITER_ID, VACANCY_ID, vacancy
from tests.harness import System, running_system
from tests.staff.test_browser import ARGS, CHROMIUM

WIDTH, HEIGHT = 390, 844
WECHAT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2f) NetType/WIFI"
)
SHOTS = Path(os.environ["APPLY_SHOTS"]) if os.environ.get("APPLY_SHOTS") else None
LIMIT = 6  # form submissions per address in the test's hour

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} is missing: `make test` installs it with apt when run as root",
)


@pytest.fixture
async def site(keys: Keys, redis: Redis) -> AsyncIterator[System]:
    async with running_system(
        keys, redis_url(), public_base_url="https://jobs.example.com", web_apply_per_address=LIMIT
    ) as s:
        s.sim.add_user(RECRUITER_ID, "招聘经理")
        yield s


@pytest.fixture
async def phone(site: System) -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright  # noqa: PLC0415 - only with chromium

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=ARGS, env=real_clock_environment()
        )
        try:
            context = await browser.new_context(
                base_url=site.base_url,
                viewport={"width": WIDTH, "height": HEIGHT},
                device_scale_factor=2,
                is_mobile=True,
                has_touch=True,
                user_agent=WECHAT,
                java_script_enabled=False,  # the form must work without any script
            )
            yield await context.new_page()
        finally:
            await browser.close()


async def shot(page: Any, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


async def box(page: Any, selector: str) -> dict[str, float]:
    found = await page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return dict(found)


async def fill(page: Any, **fields: str) -> None:
    for name, value in fields.items():
        await page.fill(f"input[name={name}]", value)


async def test_apply_on_a_phone_refusals_replay_honeypot_limit_and_the_card(
    site: System, phone: Any
) -> None:
    question = ScreeningQuestion(text="能接受长白班吗？", accepted=["是"])
    posted = vacancy(screening=[question]).model_copy(
        update={"benefits": ["包吃住", "五险一金"], "brand": "草原铝工", "headcount": 20}
    )
    await site.services.vacancies.save(posted)
    page = phone
    posts = 0

    await page.goto(f"/jobs/{VACANCY_ID}")
    assert "7000-9000元/月" in await page.inner_text("span.pay")  # not "<span…" as text
    await shot(page, "1-form")
    # Phone-sized: nothing wider than the screen; inputs and buttons at least 48 px high.
    for selector in ("input[name=name]", "input[name=phone]", "button.submit", "label.choice"):
        found = await box(page, selector)
        assert found["height"] >= 48 and found["x"] >= 0
        assert found["x"] + found["width"] <= WIDTH, selector
    consent = await page.inner_text(".terms")
    assert "华北铝业的招聘负责人和本平台管理员" in consent and "180 天" in consent

    # A bad phone and no consent: refused with the chat's words, the values kept.
    await fill(page, name="张伟", phone="12345", age="35", city="天津")
    await page.check("input[name=q0][value=是]")
    await page.click("button.submit")
    posts += 1
    assert "这不像是手机号" in await page.inner_text("#e-phone")
    assert "勾选同意" in await page.inner_text("#e-consent")
    assert await page.input_value("input[name=name]") == "张伟"
    assert await page.is_checked("input[name=q0][value=是]")
    await shot(page, "2-refused")

    # The honeypot (hidden from people) filled: refused, nothing filed.
    await fill(page, phone="13812345678")
    await page.check("input[name=consent]")
    await page.locator("input[name=website]").fill("http://spam.example", force=True)
    await page.click("button.submit")
    posts += 1
    assert "提交没有成功" in await page.inner_text("#notice")
    assert await site.services.applications.count() == 0

    # Right this time: the number, the status page, the card in the recruiter's chat.
    await page.locator("input[name=website]").fill("", force=True)
    await page.check("input[name=consent]")
    replayable = await page.input_value("input[name=token]")
    await page.click("button.submit")
    posts += 1
    await page.wait_for_url("**/apply/*?k=*")
    assert "报名成功" in await page.inner_text("h1")
    [application] = (await site.services.applications.for_vacancy(VACANCY_ID))[1]
    assert await page.inner_text("#number") == str(application.number)
    await shot(page, "3-done")
    await site.settle()
    [card] = site.sim.messages_in(RECRUITER_ID)
    assert f"新报名 {application.number}" in (card.plain_text or "")

    # Back to the filled form and submit it again: its token was used, so it is refused.
    await page.go_back()
    assert await page.input_value("input[name=token]") == replayable
    await page.check("input[name=consent]")
    await page.click("button.submit")
    posts += 1
    assert "已经提交过了" in await page.inner_text("#notice")
    assert await site.services.applications.count() == 1

    # The address's limit: past it, refused (429) with the values kept.
    await fill(page, phone="13912345678")
    await page.check("input[name=consent]")
    while posts < LIMIT:
        await page.fill("input[name=phone]", "12345")  # refused: the form comes back
        await page.click("button.submit")
        posts += 1
    async with page.expect_response(lambda r: r.request.method == "POST") as answer:
        await page.click("button.submit")
    assert (await answer.value).status == 429
    assert "提交太频繁了" in await page.inner_text("#notice")
    assert await page.input_value("input[name=name]") == "张伟"
    assert await site.services.applications.count() == 1
