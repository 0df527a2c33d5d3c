"""Registering robots and the corp's credentials through the running app's API, then a
broadcast created over the API reaching the robot through the real workers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from redis.asyncio import Redis

from bot.broadcasting import run_here
from bot.wecom.wiring import WeComChannels
from devkit.wecom import WeComSimulator
from jobfeed.keys import Keys
from jobfeed.vacancies import VacancyRepository
from tests.broadcast.conftest import sample_vacancies
from tests.conftest import redis_url
from tests.harness import System, running_system

PUBLIC = "https://jobs.example.com"


@pytest.fixture
async def sim() -> AsyncIterator[WeComSimulator]:
    async with WeComSimulator(speed=100.0) as simulator:
        yield simulator


@pytest.fixture
async def system(keys: Keys, redis: Redis, sim: WeComSimulator) -> AsyncIterator[System]:
    async with running_system(
        keys, redis_url(), wecom_api_base=sim.base_url, public_base_url=PUBLIC
    ) as running:
        yield running


async def test_a_robot_registered_over_the_api_gets_broadcasts_and_its_key_stays_hidden(
    system: System, sim: WeComSimulator
) -> None:
    robot = sim.add_robot("693a91f6-7b2c-4bc4-97a0-0ec2a1fa5aaa")
    status, body = await system.api(
        "POST",
        "/api/wecom/robots",
        json={"name": "烟台普工群", "webhook": sim.webhook_url(robot), "city": "烟台"},
    )
    assert status == 201, body
    assert body["key"] == "693a…5aaa" and body["address"].startswith("wecom-robot:r")
    status, listed = await system.api("GET", "/api/wecom/robots")
    assert status == 200 and listed["total"] == 1
    assert robot.key not in str(listed) and robot.key not in str(body)
    # The same key again updates the same group rather than adding one.
    status, again = await system.api(
        "POST", "/api/wecom/robots", json={"name": "烟台普工一群", "webhook": robot.key}
    )
    assert status == 201 and again["address"] == body["address"] and again["city"] == "烟台"

    [vacancy] = sample_vacancies(1)
    vacancy = vacancy.model_copy(update={"city": "烟台"})
    await VacancyRepository(system.services.redis, system.services.keys).save_many([vacancy])
    status, created = await system.api(
        "POST",
        "/api/broadcasts",
        json={"vacancy_ids": [vacancy.id], "target": {"city": ["烟台"]}},
    )
    assert status == 201, created
    parts = system.services
    wecom = WeComChannels.of(
        parts.redis, parts.keys, api_base=sim.base_url, public_base_url=PUBLIC, speed=100.0
    )
    try:
        crew = replace(system.crew(), wecom=wecom)
        # The default heartbeat: with 0.2 s the worker's shutdown hung now and then on the
        # app's Redis pool (a worker cancelled mid-heartbeat; seen 1 run in ~10).
        [progress] = await run_here(crew, [created["id"]])
    finally:
        await wecom.close()
    assert progress.by_channel["wecom-robot"].delivered == 1
    assert len(robot.texts) == 1 and f"{PUBLIC}/jobs/{vacancy.id}" in robot.texts[0]
    status, shown = await system.api("GET", f"/api/broadcasts/{created['id']}")
    assert status == 200 and shown["by_channel"]["wecom-robot"]["delivered"] == 1


@pytest.mark.parametrize(
    "webhook",
    [
        "https://qyapi.weixin.qq.com/cgi-bin/other?key=693a91f6-7b2c-4bc4-97a0-0ec2a1fa5aaa",
        "693a91f6 7b2c",
        "",
    ],
)
async def test_a_malformed_webhook_is_a_400_that_does_not_repeat_it(
    system: System, webhook: str
) -> None:
    status, body = await system.api(
        "POST", "/api/wecom/robots", json={"name": "群", "webhook": webhook}
    )
    assert status == 400 and body["error"]
    assert "693a91f6" not in str(body)


async def test_the_corp_credentials_are_registered_and_shown_masked(system: System) -> None:
    status, body = await system.api("GET", "/api/wecom/credentials")
    assert status == 200 and body == {"configured": False, "corp_id": None, "secret": None}
    status, body = await system.api(
        "PUT",
        "/api/wecom/credentials",
        json={"corp_id": "ww0123abcd", "secret": "S3cr3t-app-secret-0001"},
    )
    assert status == 200 and body == {
        "configured": True, "corp_id": "ww0123abcd", "secret": "S3cr…0001"
    }  # fmt: skip
    status, body = await system.api("GET", "/api/wecom/credentials")
    assert body["secret"] == "S3cr…0001"
    status, body = await system.api(
        "PUT", "/api/wecom/credentials", json={"corp_id": "ww 01", "secret": "short"}
    )
    assert status == 400 and "short" not in str(body)


async def test_customer_groups_are_read_from_wecom_and_mass_sends_listed(
    system: System, sim: WeComSimulator
) -> None:
    sim.add_customer_group("wrA1", "zhangsan")
    sim.add_customer_group("wrA2", "zhangsan")
    status, body = await system.api("POST", "/api/wecom/customer-groups/sync")
    assert status == 409 and "credentials" in body["error"]  # none set yet
    status, _ = await system.api(
        "PUT", "/api/wecom/credentials", json={"corp_id": sim.corp_id, "secret": sim.secret}
    )
    assert status == 200
    status, body = await system.api("POST", "/api/wecom/customer-groups/sync")
    assert status == 200 and body == {"owners": [{"owner": "zhangsan", "chats": ["wrA1", "wrA2"]}]}
    status, group = await system.api("GET", "/api/wecom/mass-sends")
    assert status == 200 and group == {"awaiting_confirmation": 0, "open": []}
    status, _ = await system.api("GET", "/api/wecom/mass-sends/42")
    assert status == 404
