"""Brokers: approved like recruiters; who they brought, through a bot link or a page
link; never themselves; crawlers' fetches are not visits; their standing and roster."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from bot.web.brokers import broker_key, page_secret
from devkit.telegram import SentMessage
from jobfeed.brokers.models import Broker
from jobfeed.models import Group
from tests.brokers.journey import apply, clock_at, data_of, hire
from tests.handlers.resume_chat import VACANCY_ID, vacancy
from tests.harness import ADMIN_ID, System

BROKER = 640001
OTHER_BROKER = 640002
SEEKER = 640011
LATE = 640012
BROWSER = "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Chrome/120 Mobile Safari"
PREVIEW = "TelegramBot (like TwitterBot)"
_TOKEN = re.compile(r'name="token" value="([^"]+)"')


async def become_broker(system: System, person: int, name: str) -> tuple[Broker, SentMessage]:
    """The person applies with /broker and the admin approves; the broker's welcome."""
    system.sim.add_user(ADMIN_ID, "管理员")
    system.sim.add_user(person, name)
    system.sim.user_message(ADMIN_ID, ADMIN_ID, "/start")
    system.sim.user_message(person, person, f"/broker {name} 化德县 HD2026-{person % 1000:03d}")
    await system.settle()
    request = system.sim.messages_in(ADMIN_ID)[-1]
    assert "经纪人申请" in (request.plain_text or "")
    system.sim.callback(ADMIN_ID, ADMIN_ID, request.message_id, data_of(request, "批准"))
    await system.settle()
    broker = await system.services.brokers.get(person)
    assert broker is not None and broker.approved
    return broker, system.sim.messages_in(person)[-1]


async def test_a_bot_link_attributes_first_touch_and_never_the_broker(system: System) -> None:
    clock_at(system)
    broker, welcome = await become_broker(system, BROKER, "李四")
    other, _ = await become_broker(system, OTHER_BROKER, "王五")
    text = welcome.plain_text or ""
    assert broker.code in text and f"start=ref_{broker.code}" in text
    # A seeker comes through the broker's apply link, then through another broker's:
    # the first touch keeps them.
    chat = await apply(system, SEEKER, f"ref_{broker.code}_apply_{VACANCY_ID}")
    assert len(await system.services.applications.for_applicant(SEEKER)) == 1
    chat.sim.user_message(SEEKER, SEEKER, f"/start ref_{other.code}")
    await system.settle()
    source = await system.services.brokers.source_of(SEEKER)
    assert source is not None and source.code == broker.code
    [filed] = await system.services.applications.for_applicant(SEEKER)
    assert filed.broker == broker.code  # kept on the application
    status, shown = await system.api("GET", f"/api/applications/{filed.number}")
    assert status == 200 and shown["broker"] == broker.code
    # The broker applies through their own link: counts nothing.
    await apply(system, BROKER, f"ref_{broker.code}_apply_{VACANCY_ID}")
    assert await system.services.brokers.source_of(BROKER) is None
    [own] = await system.services.applications.for_applicant(BROKER)
    assert own.broker is None
    # A code nobody holds attributes nothing, and the link still works as /start.
    await apply(system, LATE, f"ref_zzzzzzzz_apply_{VACANCY_ID}")
    assert await system.services.brokers.source_of(LATE) is None
    assert len(await system.services.applications.for_applicant(LATE)) == 1
    # The hire is the broker's placement.
    placement = await hire(system, SEEKER)
    assert placement.broker == broker.code
    assert (await hire(system, BROKER)).broker is None
    # The broker's standing in chat, and the roster (an XLSX, phones masked).
    system.sim.user_message(BROKER, BROKER, "/broker")
    await system.settle()
    standing = system.sim.messages_in(BROKER)[-1].plain_text or ""
    assert "带来的人：1" in standing and "录用：1" in standing and "1. 李四：1 人" in standing
    # The same on the broker's own page, opened with the key of their link only.
    key = broker_key(page_secret(system.services.settings), broker.code)
    async with system.http.get(f"{system.base_url}/brokers/{broker.code}?k={key}") as page:
        html = await page.text()
        assert page.status == 200
    assert '<dd id="people">1</dd>' in html and '<dd id="hires">1</dd>' in html
    assert "李四：1 人" in html and "139" not in html
    async with system.http.get(f"{system.base_url}/brokers/{broker.code}?k=forged") as page:
        assert page.status == 404
    system.sim.user_message(BROKER, BROKER, "/roster")
    await system.settle()
    document = system.sim.messages_in(BROKER)[-1]
    assert document.method == "sendDocument" and document.document_file_id
    world = system.sim.world
    body = world.file_bytes(world.files[document.document_file_id])
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet is not None
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header[2] == "手机号" and len(rows) == 1
    assert rows[0][2] == "139****0011" and rows[0][14] == broker.code


async def test_a_page_link_counts_visits_not_crawlers_and_attributes_the_form(
    system: System,
) -> None:
    broker, _ = await become_broker(system, BROKER, "李四")
    await system.services.vacancies.save(vacancy())
    url = f"{system.base_url}/jobs/{VACANCY_ID}?ref={broker.code}"
    for agent in (PREVIEW, "WhatsApp/2.23.20.0", "facebookexternalhit/1.1", BROWSER):
        async with system.http.get(url, headers={"User-Agent": agent}) as response:
            html = await response.text()
            assert response.status == 200
    assert await system.services.brokers.visits(broker.code) == 1
    # The page carries the code: into the bot link, the poster's QR link and the form.
    assert f"start=ref_{broker.code}_apply_{VACANCY_ID}" in html
    assert f"poster.png?ref={broker.code}" in html
    assert f'name="ref" value="{broker.code}"' in html
    found = _TOKEN.search(html)
    assert found is not None
    form = {
        "token": found[1],
        "ref": broker.code,
        "name": "张伟",
        "phone": "13812345678",
        "age": "1990",
        "city": "化德县",
        "consent": "yes",
        "action": "apply",
    }
    async with system.http.post(
        f"{system.base_url}/jobs/{VACANCY_ID}/apply", data=form, headers={"User-Agent": BROWSER}
    ) as response:
        assert response.status == 200 and "/apply/" in str(response.url)
    _, [application] = await system.services.applications.recent()
    assert application.applicant_id is not None
    source = await system.services.brokers.source_of(application.applicant_id)
    assert source is not None and source.code == broker.code
    # The web applicant counts among the people the broker brought (their number is
    # negative: no Telegram id).
    assert await system.services.brokers.people(broker.code) == [application.applicant_id]
    # An unknown code is ignored: no visit, nothing carried.
    async with system.http.get(
        f"{system.base_url}/jobs/{VACANCY_ID}?ref=zzzzzzzz", headers={"User-Agent": BROWSER}
    ) as response:
        assert 'name="ref"' not in await response.text()


GROUP = -1009000001
ELSEWHERE = -1009000002
JOINER = 640021
PASSER_BY = 640022


async def test_an_invite_link_attributes_who_joins_through_it(system: System) -> None:
    broker, _ = await become_broker(system, BROKER, "李四")
    await system.services.groups.upsert_many(
        [
            Group(chat_id=GROUP, title="化德县务工群", city="乌兰察布"),
            Group(chat_id=ELSEWHERE, title="天津招聘群", city="天津"),
        ]
    )
    system.sim.add_chat(GROUP, title="化德县务工群", bot_is_admin=True)
    system.sim.add_chat(ELSEWHERE, title="天津招聘群", bot_is_admin=True)
    system.sim.user_message(BROKER, BROKER, "/invite")
    await system.settle()
    [link] = list(system.sim.world.invite_links)  # the area's group only
    assert link in (system.sim.messages_in(BROKER)[-1].plain_text or "")
    # Asking again reuses the link.
    system.sim.user_message(BROKER, BROKER, "/invite")
    await system.settle()
    assert len(system.sim.world.invite_links) == 1
    system.sim.join(GROUP, JOINER, link)
    system.sim.join(GROUP, PASSER_BY)  # through no link of ours
    system.sim.join(GROUP, BROKER, link)  # the broker through their own link
    await system.settle()
    source = await system.services.brokers.source_of(JOINER)
    assert source is not None and source.code == broker.code
    assert await system.services.brokers.source_of(PASSER_BY) is None
    assert await system.services.brokers.source_of(BROKER) is None
    assert await system.services.brokers.brought(broker.code) == 1
