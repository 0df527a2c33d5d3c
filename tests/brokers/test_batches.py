"""A departure batch (点对点输送): details to each worker, confirmations on the roster, a
reminder the day before, the batch in the ledger; a broker organises only their own."""

from __future__ import annotations

from datetime import timedelta

from tests.brokers.journey import apply, clock_at, data_of, hire
from tests.brokers.test_attribution import BROKER, become_broker
from tests.handlers.resume_chat import VACANCY_ID
from tests.harness import ADMIN_ID, System

RIDER, LATE_RIDER, OTHERS = 660001, 660002, 660003


async def say(system: System, person: int, text: str) -> str:
    system.sim.user_message(person, person, text)
    await system.settle()
    return system.sim.messages_in(person)[-1].plain_text or ""


async def test_a_batch_with_confirmations_and_a_reminder(system: System) -> None:
    clock = clock_at(system)
    broker, _ = await become_broker(system, BROKER, "李四")
    for seeker in (RIDER, LATE_RIDER):
        await apply(system, seeker, f"ref_{broker.code}_apply_{VACANCY_ID}")
    await apply(system, OTHERS)
    rider, late, other = [await hire(system, s) for s in (RIDER, LATE_RIDER, OTHERS)]
    departs = (clock.now + timedelta(days=3)).astimezone(system.services.placements.zone)
    day, hour = departs.strftime("%Y-%m-%d"), departs.strftime("%H:%M")
    # A worker cannot organise; a broker can, with the workers they brought only.
    assert "只有管理员或经纪人" in await say(system, OTHERS, f"/batch {day} {hour} 车站 天津 大巴")
    created = await say(system, BROKER, f"/batch {day} {hour} 化德县汽车站 天津华北铝业 冀B12345")
    assert "已创建批次 1" in created
    refused = await say(system, BROKER, f"/batch_add 1 {rider.number} {other.number}")
    assert "只有管理员或经纪人" in refused
    roster = await say(system, BROKER, f"/batch_add 1 {rider.number} {late.number}")
    assert "⏳" in roster and "已确认 0/2" in roster and "139****0001" in roster
    # Each worker got the details with a button; one confirms (a replay changes nothing).
    details = system.sim.messages_in(RIDER)[-1]
    assert "出发通知" in (details.plain_text or "") and "化德县汽车站" in (
        details.plain_text or ""
    )
    press = data_of(details, "确认")
    system.sim.callback(LATE_RIDER, RIDER, details.message_id, press)  # not theirs
    await system.settle()
    assert system.sim.callback_answers[-1].text == "这个问题不是问你的"
    system.sim.callback(RIDER, RIDER, details.message_id, press)
    await system.settle()
    assert "已确认" in (system.sim.messages_in(RIDER)[-1].plain_text or "")
    roster = await say(system, BROKER, "/batch 1")
    assert f"✅ {rider.number}" in roster and f"⏳ {late.number}" in roster
    assert "已确认 1/2" in roster
    # The admin sees it too; adding the same worker twice tells nobody again.
    before = len(system.sim.messages_in(RIDER))
    assert "已确认 1/2" in await say(system, ADMIN_ID, f"/batch_add 1 {rider.number}")
    assert len(system.sim.messages_in(RIDER)) == before
    # The reminder goes out the day before, once.
    reminders = system.services.batch_reminders
    assert await reminders.step() == 0
    clock.forward(days=2, hours=1)
    assert await reminders.step() == 2
    assert await reminders.step() == 0
    assert "明天出发" in (system.sim.messages_in(LATE_RIDER)[-1].plain_text or "")
    # The ledger names the batch.
    placement = await system.services.placements.get(rider.number)
    assert placement is not None and placement.batch == 1
