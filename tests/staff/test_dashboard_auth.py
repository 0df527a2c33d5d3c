"""Dashboard sign-in, session cookie, CSRF and lockout, over real HTTP."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis
from yarl import URL

from bot.dashboard.lockout import Lockout
from bot.dashboard.passwords import hash_password, verify_password
from jobfeed.keys import Keys
from tests.conftest import redis_url
from tests.harness import ADMIN_ID, ADMIN_TOKEN, System, running_system
from tests.staff.dashboard import Visitor

PASSWORD = "长城-correct-horse-7"


@pytest.fixture
async def web(keys: Keys, redis: Redis) -> AsyncIterator[tuple[System, Visitor]]:
    passwords = f"{ADMIN_ID}:{hash_password(PASSWORD)}"
    async with running_system(
        keys, redis_url(), dashboard_passwords=passwords, dashboard_max_failures=3
    ) as system:
        visitor = Visitor(system.base_url)
        try:
            yield system, visitor
        finally:
            await visitor.close()


async def test_pages_need_a_session_and_the_cookie_is_locked_down(
    web: tuple[System, Visitor],
) -> None:
    _, visitor = web
    status, _, response = await visitor.get("/dashboard/broadcasts?page=2", follow=False)
    assert status == 303
    location = URL(response.headers["Location"])
    assert location.path == "/dashboard/login"
    assert location.query["next"] == "/dashboard/broadcasts?page=2"

    status, page, response = await visitor.get("/dashboard/login")
    assert status == 200 and 'name="csrf"' in page
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/dashboard" in cookie
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]

    assert await visitor.sign_in() == 303
    status, page, _ = await visitor.get("/dashboard/broadcasts")
    assert status == 200 and "群发" in page


async def test_signing_in_replaces_the_session_so_a_planted_cookie_is_useless(
    web: tuple[System, Visitor],
) -> None:
    system, visitor = web
    await visitor.get("/dashboard/login")
    planted = visitor.http.cookie_jar.filter_cookies(URL(system.base_url + "/dashboard/"))
    before = planted["zp_dashboard"].value
    await visitor.sign_in()
    after = visitor.http.cookie_jar.filter_cookies(URL(system.base_url + "/dashboard/"))
    assert after["zp_dashboard"].value != before

    attacker = Visitor(system.base_url)
    try:
        attacker.http.cookie_jar.update_cookies({"zp_dashboard": before})
        status, _, _ = await attacker.get("/dashboard/", follow=False)
        assert status == 303  # the pre-sign-in session was deleted
    finally:
        await attacker.close()


async def test_an_admin_signs_in_with_a_personal_password(web: tuple[System, Visitor]) -> None:
    _, visitor = web
    assert await visitor.sign_in(str(ADMIN_ID), PASSWORD) == 303
    status, page, _ = await visitor.get("/dashboard/")
    assert status == 200 and f"管理员 {ADMIN_ID}" in page


async def test_a_form_without_the_csrf_token_is_refused(web: tuple[System, Visitor]) -> None:
    system, visitor = web
    await visitor.get("/dashboard/login")
    status, _, _ = await visitor.post(
        "/dashboard/login", {"account": "", "password": ADMIN_TOKEN}, csrf=False
    )
    assert status == 403
    await visitor.sign_in()
    await system.services.groups.joined(-100123, "测试群")
    status, page, _ = await visitor.post(
        "/dashboard/groups/-100123/tags", {"kind": "recruitment", "city": "天津"}, csrf=False
    )
    assert status == 403 and "安全令牌" in page
    wrong = {"kind": "recruitment", "city": "天津", "csrf": "forged"}
    assert (await visitor.post("/dashboard/groups/-100123/tags", wrong, csrf=False))[0] == 403
    group = await system.services.groups.get(-100123)
    assert group is not None and group.city is None  # nothing changed

    status, _, _ = await visitor.post("/dashboard/groups/-100123/tags", wrong | {"csrf": ""})
    assert status == 303  # with the token it goes through
    group = await system.services.groups.get(-100123)
    assert group is not None and group.city == "天津"


async def test_repeated_failures_lock_the_sign_in_even_for_the_right_password(
    web: tuple[System, Visitor],
) -> None:
    _, visitor = web
    for _ in range(3):
        assert await visitor.sign_in(str(ADMIN_ID), "wrong") == 401
    assert await visitor.sign_in(str(ADMIN_ID), PASSWORD) == 429
    _, page, _ = await visitor.get("/dashboard/login")
    status, page, _ = await visitor.post(
        "/dashboard/login", {"account": str(ADMIN_ID), "password": PASSWORD}
    )
    assert status == 429 and "尝试次数过多" in page
    # The address is locked too: the admin token does not get through from here either.
    assert await visitor.sign_in("", ADMIN_TOKEN) == 429


async def test_the_lockout_counts_per_address_and_per_account(keys: Keys, redis: Redis) -> None:
    lockout = Lockout(redis, keys, max_failures=2, window_seconds=60)
    await lockout.failed("10.0.0.1", "111")
    await lockout.failed("10.0.0.2", "111")
    assert await lockout.locked_for("10.0.0.3", "111") > 0  # the account, from anywhere
    assert await lockout.locked_for("10.0.0.3", "222") == 0
    await lockout.failed("10.0.0.1", "222")
    assert await lockout.locked_for("10.0.0.1", "333") > 0  # the address, for any account
    await lockout.succeeded("111")
    assert await lockout.locked_for("10.0.0.4", "111") == 0
    assert 0 < await redis.ttl(keys.dashboard_failures_ip("10.0.0.1")) <= 60


def test_password_hashes_verify_only_the_password() -> None:
    encoded = hash_password(PASSWORD)
    assert encoded.startswith("scrypt$") and PASSWORD not in encoded
    assert verify_password(PASSWORD, encoded)
    assert not verify_password(PASSWORD + " ", encoded)
    assert not verify_password(PASSWORD, "scrypt$16384$8$1$not-base64!$x")
    assert hash_password(PASSWORD) != encoded  # salted


def test_the_hash_password_command_prints_a_hash_that_verifies() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "hash-password"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    encoded = done.stdout.strip()
    assert verify_password(PASSWORD, encoded) and PASSWORD not in done.stdout
    short = subprocess.run(
        [sys.executable, "-m", "bot", "hash-password"],
        input="short\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert short.returncode == 1 and "at least 10" in short.stderr
