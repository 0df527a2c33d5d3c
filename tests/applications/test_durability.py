"""A confirmed application survives Redis being killed (SIGKILL) in the middle of filing.

Redis runs as the README recommends (``appendonly yes``, ``appendfsync everysec``). An
application counts as confirmed once ``submit`` has returned: that is the moment the
bot tells the applicant the number. A control run without the append-only file shows
the same kill does lose confirmed applications, so the check can fail.
"""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.storage import open_redis
from jobfeed.applications.repository import ApplicationRepository
from jobfeed.keys import Keys
from tests.applications.factories import draft
from tests.redis_server import RedisServer

APPLICANTS = 400
KEYS = Keys("durability")


async def _file_through_a_kill(server: RedisServer) -> tuple[dict[int, int], int, int]:
    """400 applicants file over 1.5 s; Redis is SIGKILLed at 0.6 s and restarted on the
    same directory 0.3 s later. Returns {applicant: number told}, how many were
    confirmed before the kill, and how many filings waited through the outage."""
    # The client the service itself uses (a bounded, blocking connection pool).
    handle = await open_redis(server.url, server.directory)
    applications = ApplicationRepository(handle.client, KEYS, 180)
    confirmed: dict[int, int] = {}
    rng = random.Random(5)
    loop = asyncio.get_running_loop()
    outage = [float("inf"), float("inf")]  # when Redis was killed, when it was back
    spans: list[tuple[float, float]] = []

    async def applicant(user_id: int) -> None:
        await asyncio.sleep(rng.random() * 1.5)
        started = loop.time()
        try:
            application = await applications.submit(draft(user_id, f"v{user_id % 7}"))
        except RedisError:
            return  # the bot says "busy, try again": no number, no promise
        spans.append((started, loop.time()))
        confirmed[user_id] = application.number

    try:
        crowd = asyncio.gather(*(applicant(1000 + i) for i in range(APPLICANTS)))
        await asyncio.sleep(0.6)
        before_kill = len(confirmed)
        outage[0] = loop.time()
        await server.kill()
        await asyncio.sleep(0.3)  # applicants keep confirming while Redis is down
        await server.start()
        outage[1] = loop.time()
        await crowd
    finally:
        await handle.close()
    waited = sum(1 for began, ended in spans if began < outage[1] and ended > outage[1])
    return confirmed, before_kill, waited


async def _lost_after_restart(server: RedisServer, confirmed: dict[int, int]) -> list[int]:
    await server.kill()  # once more, after the last confirmation
    await server.start()
    client = Redis.from_url(server.url, decode_responses=True)
    try:
        reopened = ApplicationRepository(client, KEYS, 180)
        found = await reopened.get_many(confirmed.values())
        lost = []
        for (user_id, number), application in zip(confirmed.items(), found, strict=True):
            intact = (
                application is not None
                and application.resume is not None
                and application.resume.user_id == user_id
                and await reopened.applied_to(user_id, application.vacancy_id) == application
            )
            if not intact:
                lost.append(number)
        return lost
    finally:
        await client.aclose()
        await server.kill()


async def test_every_confirmed_application_survives_a_redis_kill(tmp_path: Path) -> None:
    server = RedisServer(tmp_path)
    await server.start()
    confirmed, before_kill, waited = await _file_through_a_kill(server)

    assert 0 < before_kill < APPLICANTS  # the kill fell in the middle of the run
    assert waited > 0  # filings hit the outage, waited it out and were confirmed
    assert len(confirmed) == APPLICANTS  # the outage was shorter than the patience
    assert len(set(confirmed.values())) == APPLICANTS  # no number told twice
    assert await _lost_after_restart(server, confirmed) == []


async def test_control_without_the_append_only_file_loses_confirmed_ones(
    tmp_path: Path,
) -> None:
    server = RedisServer(tmp_path, appendonly="no")
    await server.start()
    confirmed, _, _ = await _file_through_a_kill(server)
    assert await _lost_after_restart(server, confirmed)
