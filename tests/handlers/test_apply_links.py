"""One apply link: with ``BOT_USERNAME`` set, every surface links to that name (a group
post, a search answer and its 更多 link, the 我要报名 button, the public job page),
never to getMe's; the payloads stay what the deep-link handlers parse."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from redis.asyncio import Redis

from bot.broadcasting import run_here
from devkit.telegram import SentMessage
from jobfeed.keys import Keys
from jobfeed.models import Group, GroupFilter
from tests.conftest import redis_url
from tests.handlers.search_chat import buttons, load, sample_queries, sample_vacancies
from tests.harness import running_system

SET = "JobsHelperBot"  # the simulator's getMe says zhaopin_test_bot
GROUP = -1001500000077


def links(message: SentMessage) -> list[tuple[str, str]]:
    """(bot username, /start payload) of each URL button."""
    found = []
    for button in buttons(message):
        url = urlparse(button.get("url") or "")
        if url.netloc == "t.me":
            [payload] = parse_qs(url.query)["start"]
            found.append((url.path.removeprefix("/"), payload))
    return found


async def test_every_surface_uses_the_username_setting(keys: Keys, redis: Redis) -> None:
    async with running_system(keys, redis_url(), bot_username="@" + SET) as system:
        vacancies = sample_vacancies()
        await load(system, vacancies)
        system.sim.add_chat(GROUP, title="求职交流群")
        query = next(q for q in sample_queries() if q["form"] == "located")

        system.sim.user_message(GROUP, 41, str(query["text"]))
        await system.settle()
        [answer] = system.sim.messages_in(GROUP)
        system.sim.user_message(GROUP, 42, "我要报名")
        await system.settle()
        button = system.sim.messages_in(GROUP)[-1]

        found = links(answer)
        assert {name for name, _ in found} == {SET}
        payloads = [payload for _, payload in found]
        assert payloads[0].startswith("apply_") and payloads[-2].startswith("search_")
        assert payloads[-1].startswith("alert_")  # 有新岗位通知我
        assert links(button) == [(SET, "resume")]

        vacancy = vacancies[0]
        await system.services.groups.upsert(Group(chat_id=GROUP, title="求职交流群"))
        created = await system.services.planner.create([vacancy.id], GroupFilter())
        await run_here(system.crew(), [created.id])
        post = system.sim.messages_in(GROUP)[-1]
        assert links(post) == [(SET, f"apply_{vacancy.id}")]

        async with system.http.get(f"{system.base_url}/jobs/{vacancy.id}") as response:
            page = await response.text()
        assert f"https://t.me/{SET}?start=apply_{vacancy.id}" in page
