"""ID numbers, only when an office turns them on: a separate consent naming why, stored
encrypted, masked in every view, gone with /forget."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import pytest
from cryptography.fernet import Fernet
from openpyxl import load_workbook
from redis.asyncio import Redis

from jobfeed.keys import Keys
from tests.brokers.journey import apply, clock_at, data_of, hire
from tests.conftest import redis_url
from tests.harness import ADMIN_TOKEN, System, running_system

WORKER = 670001
ID_NUMBER = "11010519491231002X"
PURPOSE = "申请一次性求职创业补贴"


@pytest.fixture
async def office(keys: Keys, redis: Redis) -> AsyncIterator[System]:
    key = Fernet.generate_key().decode()
    async with running_system(
        keys, redis_url(), id_number_key=key, id_number_purpose=PURPOSE
    ) as running:
        yield running


async def ledger(system: System) -> list[list[object]]:
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    async with system.http.get(f"{system.base_url}/api/ledger", headers=headers) as r:
        body = await r.read()
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


async def test_an_id_number_with_consent_encrypted_and_masked(office: System) -> None:
    clock_at(office)
    chat = await apply(office, WORKER)
    placement = await hire(office, WORKER)
    consent = next(m for m in reversed(chat.messages) if "单独的同意" in (m.plain_text or ""))
    assert PURPOSE in (consent.plain_text or "")
    office.sim.callback(WORKER, WORKER, consent.message_id, data_of(consent, "同意并提供"))
    await office.settle()
    assert "18 位身份证号" in chat.last_text
    assert "不是有效" in await chat.say("110105194912310021")  # a wrong check digit
    assert "1101**********002X" in await chat.say(ID_NUMBER)
    # The number left the chat and is stored encrypted only.
    deleted = {(d.chat_id, d.message_id) for d in office.sim.world.deletes}
    typed = [
        key
        for key, m in office.sim.world.user_messages.items()
        if ID_NUMBER in str(m.get("text", ""))
    ]
    assert typed and set(typed) <= deleted
    stored = await office.services.redis.get(
        office.services.keys.placement_id_number(placement.number)
    )
    assert stored and ID_NUMBER not in stored
    header, row = await ledger(office)
    assert header[-1] == "身份证号（隐去）" and row[-1] == "1101**********002X"
    # /forget takes it with the rest.
    await chat.say("/forget")
    await chat.press("确认删除")
    header, row = await ledger(office)
    assert row[-1] in ("", None) and row[1] == "（已删除）"
    assert not await office.services.redis.exists(
        office.services.keys.placement_id_number(placement.number)
    )


async def test_off_by_default(system: System) -> None:
    clock_at(system)
    chat = await apply(system, WORKER)
    await hire(system, WORKER)
    assert not any("身份证" in (m.plain_text or "") for m in chat.messages)
    header, _ = await ledger(system)
    assert "身份证号（隐去）" not in header
