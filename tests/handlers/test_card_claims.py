"""Each recruiter card goes out once, however many filings and processes send the cards
kept back: a claim (a lease in Redis) lets one sender send it; a dead sender's lease ends."""

from __future__ import annotations

import asyncio
import re
from collections import Counter

from redis.asyncio import Redis

from bot.telegram.cards import CardDelivery
from devkit.telegram import TelegramSimulator
from jobfeed.applications.claims import DeliveryClaims
from jobfeed.applications.repository import ApplicationRepository
from jobfeed.keys import Keys
from jobfeed.texts import Texts
from tests.applications.factories import draft
from tests.conftest import redis_url
from tests.handlers.resume_chat import RECRUITER_ID, VACANCY_ID, Chat, vacancy
from tests.harness import ADMIN_ID, System

KEPT_BACK = 5
SEEKERS = (610801, 610802, 610803)


async def kept_back(applications: ApplicationRepository, count: int) -> list[int]:
    """Applications filed earlier whose cards Telegram kept back (queued to send again)."""
    numbers = []
    for index in range(count):
        filed = draft(620000 + index, VACANCY_ID, recruiter_id=RECRUITER_ID)
        filed = filed.model_copy(
            update={"resume": filed.resume.model_copy(update={"attachment": None})}
        )
        application = await applications.submit(filed)
        await applications.mark_undelivered(application.number)
        numbers.append(application.number)
    return numbers


def cards_per_application(sim: TelegramSimulator, numbers: list[int]) -> Counter[int]:
    sent = Counter[int]()
    for message in sim.messages_in(RECRUITER_ID):
        for number in numbers:
            if re.search(rf"新报名 {number}\b", message.plain_text or ""):
                sent[number] += 1
    return sent


async def test_filings_finishing_together_send_each_kept_back_card_once(system: System) -> None:
    await system.services.vacancies.save(vacancy())
    system.sim.add_user(RECRUITER_ID, "招聘经理")
    applications = system.services.applications
    queued = await kept_back(applications, KEPT_BACK)
    chats = [Chat(system, seeker) for seeker in SEEKERS]
    for chat in chats:
        await applications.save_resume(draft(chat.user_id).resume)
        await chat.say(f"/start apply_{VACANCY_ID}")
    system.sim.faults.latency = 0.02  # sends overlap, as they do against Telegram
    for chat in chats:  # three one-tap filings at once, each then sending the queue
        message = chat.last
        data = next(
            b["callback_data"]
            for row in (message.reply_markup or {})["inline_keyboard"]
            for b in row
            if "一键报名" in b["text"]
        )
        system.sim.callback(chat.user_id, chat.user_id, message.message_id, data)
    await system.settle(within=30)

    for chat in chats:
        assert "报名成功" in chat.last_text
    filed = [(await applications.for_applicant(chat.user_id))[0].number for chat in chats]
    assert cards_per_application(system.sim, queued + filed) == dict.fromkeys(queued + filed, 1)
    assert await applications.undelivered() == []


async def test_several_processes_send_each_card_once_and_a_dead_claim_runs_out(
    keys: Keys, redis: Redis
) -> None:
    texts = Texts()
    async with TelegramSimulator(speed=0) as sim:
        sim.add_user(RECRUITER_ID, "招聘经理")
        sim.add_user(ADMIN_ID)
        sim.faults.latency = 0.02
        clients = [Redis.from_url(redis_url(), decode_responses=True) for _ in range(3)]
        bots = [sim.make_bot() for _ in clients]
        try:
            repos = [ApplicationRepository(client, keys, 180) for client in clients]
            queued = await kept_back(repos[0], KEPT_BACK)
            # A sender that died holding the first card's claim.
            dead = DeliveryClaims(redis, keys, lease_seconds=0.5)
            assert await dead.claim(queued[0]) is not None
            admins = frozenset({ADMIN_ID})
            await asyncio.gather(
                *(
                    CardDelivery(bot, texts, repo, admins).deliver_pending()
                    for bot, repo in zip(bots, repos, strict=True)
                    for _ in range(2)  # two filings in each of three processes
                )
            )
            sent = cards_per_application(sim, queued)
            assert sent == dict.fromkeys(queued[1:], 1)  # the claimed one waits for its lease
            await asyncio.sleep(0.6)
            await CardDelivery(bots[0], texts, repos[1], admins).deliver_pending()
            assert cards_per_application(sim, queued) == dict.fromkeys(queued, 1)
            assert await repos[0].undelivered() == []
        finally:
            for bot in bots:
                await bot.session.close()
            for client in clients:
                await client.aclose()
