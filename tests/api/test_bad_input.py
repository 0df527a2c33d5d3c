"""Bad input over HTTP is a 400 (JSON under /api and for the webhook), never a 500.

Driven through the running app: ``²`` passes ``str.isdigit()`` but not ``int()``,
offsets past int64 reach Redis, and header or body bytes that are not UTF-8 reach the
token checks and the webhook's decoder.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import pytest
from redis.asyncio import Redis

from bot.app import WEBHOOK_PATH
from bot.telegram.intake import SECRET_HEADER
from jobfeed.keys import Keys
from tests.conftest import redis_url
from tests.harness import ADMIN_TOKEN, System, running_system
from tests.staff.dashboard import Visitor

SECRET = "webhook-secret_123"
PAST_INT64 = str(2**63)


async def raw_request(base_url: str, head: bytes, body: bytes = b"") -> tuple[int, bytes, bytes]:
    """Send exact bytes (a client library would refuse or re-encode them)."""
    url = urlsplit(base_url)
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    try:
        length = f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        writer.write(head + length + body)
        await writer.drain()
        answer = await reader.read()
    finally:
        writer.close()
        await writer.wait_closed()
    headers, _, content = answer.partition(b"\r\n\r\n")
    return int(headers.split(b" ", 2)[1]), headers, content


@pytest.fixture
async def webhook_system(keys: Keys, redis: Redis) -> AsyncIterator[System]:
    async with running_system(keys, redis_url(), webhook_secret=SECRET) as system:
        yield system


@pytest.mark.parametrize(
    "path",
    [
        "/api/applications/²",
        "/api/applications/²/access",
        "/api/applications/１２",  # full-width digits
        "/api/recruiters/²/approve",
        "/api/groups/²",
        f"/api/vacancies/T-1/applications?offset={PAST_INT64}",
        "/api/vacancies/T-1/applications?offset=²",
        f"/api/broadcasts?offset={PAST_INT64}",
        f"/api/vacancies?offset={PAST_INT64}",
        f"/api/broadcasts/1/groups?offset={PAST_INT64}",
    ],
)
async def test_malformed_numbers_in_the_api_are_json_400s(system: System, path: str) -> None:
    method = "POST" if path.endswith("/approve") else "GET"
    status, body = await system.api(method, path)
    assert status == 400, body
    assert body["error"]


async def test_malformed_page_numbers_on_the_public_site_are_400_pages(system: System) -> None:
    for page in ("²", "abc", "0", PAST_INT64):
        async with system.http.get(f"{system.base_url}/jobs?page={page}") as response:
            assert response.status == 400, page
            assert "页码不对" in await response.text()


async def test_malformed_page_numbers_on_the_dashboard_are_400_pages(system: System) -> None:
    visitor = Visitor(system.base_url)
    try:
        assert await visitor.sign_in("", ADMIN_TOKEN) == 303
        for page in ("broadcasts", "groups", "vacancies", "applications"):
            status, text, response = await visitor.get(f"/dashboard/{page}?page=²")
            assert status == 400, page
            assert response.content_type == "text/html" and "400" in text
            assert (await visitor.get(f"/dashboard/{page}?page=2"))[0] == 200
        assert (await visitor.get("/dashboard/search?days=²"))[0] == 400
    finally:
        await visitor.close()


async def test_a_bearer_token_that_is_not_utf8_is_refused_as_json(system: System) -> None:
    for token in (b"\xff\xfe", "令牌".encode(), b"\xe4\xbb"):
        head = b"GET /api/groups HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + b"\r\n"
        status, headers, body = await raw_request(system.base_url, head)
        assert status == 401, body
        assert b"application/json" in headers and b'"error"' in body
    good = f"GET /api/groups HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {ADMIN_TOKEN}\r\n"
    assert (await raw_request(system.base_url, good.encode()))[0] == 200


async def test_a_webhook_body_that_is_not_utf8_is_a_json_400(webhook_system: System) -> None:
    head = (
        f"POST {WEBHOOK_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"{SECRET_HEADER}: {SECRET}\r\n"
    ).encode()
    status, headers, body = await raw_request(
        webhook_system.base_url, head, b'{"update_id": \xff}'
    )
    assert status == 400 and b"application/json" in headers and b'"error"' in body

    bad_secret = f"POST {WEBHOOK_PATH} HTTP/1.1\r\nHost: x\r\n".encode()
    bad_secret += SECRET_HEADER.encode() + b": \xff\xfe\r\n"
    status, headers, body = await raw_request(webhook_system.base_url, bad_secret, b"{}")
    assert status == 401 and b"application/json" in headers
