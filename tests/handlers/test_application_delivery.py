"""The recruiter's card against Telegram's failures: transient ones are retried and
queued, a permanent refusal sends the card to the admins."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from jobfeed.keys import Keys
from tests.conftest import redis_url
from tests.handlers.resume_chat import RECRUITER_ID, VACANCY_ID, Chat, vacancy
from tests.harness import ADMIN_ID, System, running_system

SEEKER = 610501


async def _apply(system: System, seeker: int, *, file: bool = True) -> int:
    chat = Chat(system, seeker)
    await chat.say(f"/start apply_{VACANCY_ID}")
    await chat.press("同意")
    await chat.fill_resume(file=file)
    assert "报名成功" in await chat.press("确认提交")
    [application] = await system.services.applications.for_applicant(seeker)
    return application.number


async def _ready(system: System) -> None:
    await system.services.vacancies.save(vacancy())
    system.sim.add_user(RECRUITER_ID, "招聘经理")
    system.sim.add_user(ADMIN_ID)


async def test_a_server_error_is_retried_and_the_card_reaches_the_recruiter(
    system: System,
) -> None:
    await _ready(system)
    system.sim.faults.fail_next(2, status=502, methods={"sendDocument"})
    number = await _apply(system, SEEKER)
    card, file = system.sim.messages_in(RECRUITER_ID)  # each once: nothing sent twice
    assert "张三" in (card.plain_text or "") and str(number) in (file.plain_text or "")
    assert system.sim.messages_in(ADMIN_ID) == []
    assert await system.services.applications.is_delivered(number)


async def test_a_card_kept_back_by_telegram_goes_out_with_the_next_application(
    system: System,
) -> None:
    await _ready(system)
    system.sim.faults.fail_next(3, status=502, methods={"sendDocument"})
    first = await _apply(system, SEEKER)
    # Only the card's text got through; no admin was bothered, nothing claims delivery.
    assert len(system.sim.messages_in(RECRUITER_ID)) == 1
    assert system.sim.messages_in(ADMIN_ID) == []
    assert not await system.services.applications.is_delivered(first)
    assert await system.services.applications.undelivered() == [first]

    second = await _apply(system, SEEKER + 1, file=False)
    texts = [m.plain_text or "" for m in system.sim.messages_in(RECRUITER_ID)]
    assert len(texts) == 3 and str(first) in texts[2]  # the missing file, not the card again
    assert str(second) in texts[1]
    assert await system.services.applications.is_delivered(first)
    assert await system.services.applications.undelivered() == []


async def test_a_recruiter_who_blocked_the_bot_is_replaced_by_the_admins(
    system: System,
) -> None:
    await _ready(system)
    system.sim.block(RECRUITER_ID)
    await system.settle()
    number = await _apply(system, SEEKER)
    assert system.sim.messages_in(RECRUITER_ID) == []
    assert "张三" in (system.sim.messages_in(ADMIN_ID)[0].plain_text or "")
    assert await system.services.applications.is_delivered(number)


async def test_a_card_kept_back_before_a_restart_goes_out_at_startup(
    keys: Keys, redis: Redis
) -> None:
    async with running_system(keys, redis_url()) as first:
        await _ready(first)
        first.sim.faults.fail_next(3, status=502, methods={"sendDocument"})
        number = await _apply(first, SEEKER)
        assert await first.services.applications.undelivered() == [number]
    async with running_system(keys, redis_url()) as second:
        second.sim.add_user(RECRUITER_ID, "招聘经理")
        for _ in range(50):
            if await second.services.applications.is_delivered(number):
                break
            await asyncio.sleep(0.05)
        # Only the missing file was tried again (this fresh simulator does not know its
        # file id and refuses it); the card's text, already there, was not sent twice.
        assert second.sim.requests["sendDocument"] == 1
        assert second.sim.messages_in(RECRUITER_ID) == []
        assert await second.services.applications.undelivered() == []
