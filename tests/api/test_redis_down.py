"""Redis down: every HTTP surface answers 503 (JSON for the API and the webhook, a page
for the dashboard and the public site), never a 500, and recovers when Redis is back."""

from __future__ import annotations

from pathlib import Path

from aiohttp import ClientSession

from bot.app import WEBHOOK_PATH
from bot.telegram.intake import SECRET_HEADER
from jobfeed.keys import Keys
from tests.harness import running_system
from tests.redis_server import RedisServer
from tests.staff.dashboard import Visitor

SECRET = "webhook-secret_123"
API_CALLS = [
    ("GET", "/api/groups"),
    ("GET", "/api/groups/-1001"),
    ("GET", "/api/vacancies"),
    ("GET", "/api/applications/1"),
    ("GET", "/api/broadcasts"),
    ("GET", "/api/approvals"),
    ("GET", "/api/stats"),
    ("POST", "/api/recruiters/1/approve"),
]
UPDATE = {
    "update_id": 77,
    "message": {
        "message_id": 1,
        "date": 1763870000,
        "chat": {"id": 5, "type": "private"},
        "from": {"id": 5, "is_bot": False, "first_name": "甲"},
        "text": "你好",
    },
}


async def test_every_surface_answers_503_while_redis_is_down(tmp_path: Path, keys: Keys) -> None:
    server = RedisServer(tmp_path)
    await server.start()
    try:
        async with running_system(keys, server.url, webhook_secret=SECRET) as system:
            visitor = Visitor(system.base_url)
            try:
                assert await visitor.sign_in() == 303
                await server.kill()

                for method, path in API_CALLS:
                    status, body = await system.api(method, path)
                    assert status == 503, (path, body)
                    assert "error" in body
                async with ClientSession() as http:
                    async with http.post(
                        system.base_url + WEBHOOK_PATH,
                        json=UPDATE,
                        headers={SECRET_HEADER: SECRET},
                    ) as response:
                        assert response.status == 503  # not acknowledged: Telegram retries
                        assert "error" in await response.json()
                    for path in ("/jobs", "/jobs/T-1", "/feed.xml"):
                        async with http.get(system.base_url + path) as response:
                            assert response.status == 503, path
                            assert "稍后" in await response.text()
                status, page, response = await visitor.get("/dashboard/groups")
                assert status == 503 and response.content_type == "text/html"
                assert "稍后" in page
                assert (await system.api("GET", "/healthz", token=None))[0] == 503

                await server.start()
                assert (await system.api("GET", "/api/groups"))[0] == 200
            finally:
                await visitor.close()
    finally:
        await server.kill()
