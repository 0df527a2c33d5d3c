"""Dashboard sign-in, session cookie, CSRF and lockout, over real HTTP."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator
from typing import Any

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
    assert "Secure" not in cookie  # plain http and no https public URL: a browser would drop it
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


async def test_concurrent_wrong_sign_ins_cannot_outrun_the_lockout(
    web: tuple[System, Visitor],
) -> None:
    _, visitor = web
    await visitor.get("/dashboard/login")
    results = await asyncio.gather(
        *(
            visitor.post("/dashboard/login", {"account": str(ADMIN_ID), "password": f"wrong{n}"})
            for n in range(3 + 5)
        )
    )
    assert sorted(status for status, _, _ in results) == [401] * 3 + [429] * 5
    assert await visitor.sign_in(str(ADMIN_ID), PASSWORD) == 429


async def test_failures_from_one_address_lock_neither_the_token_nor_other_addresses(
    web: tuple[System, Visitor],
) -> None:
    system, neighbour = web
    attacker = Visitor(system.base_url, source="127.0.0.2")
    admin = Visitor(system.base_url, source="127.0.0.3")
    elsewhere = Visitor(system.base_url, source="127.0.0.4")
    try:
        statuses = [await attacker.sign_in("", f"guess{n}") for n in range(5)]
        assert statuses == [401] * 3 + [429] * 2  # the attacker's own address is locked
        assert await attacker.sign_in("", ADMIN_TOKEN) == 429
        assert await admin.sign_in("", ADMIN_TOKEN) == 303  # the token still works elsewhere

        # A named account is still locked from anywhere once it is guessed at.
        for n in range(3):
            assert await neighbour.sign_in(str(ADMIN_ID), f"guess{n}") == 401
        assert await elsewhere.sign_in(str(ADMIN_ID), PASSWORD) == 429
    finally:
        for visitor in (attacker, admin, elsewhere):
            await visitor.close()


async def test_the_lockout_counts_per_address_and_per_account(keys: Keys, redis: Redis) -> None:
    lockout = Lockout(redis, keys, max_failures=2, window_seconds=60)
    assert await lockout.attempt("10.0.0.1", "111") == 0
    assert await lockout.attempt("10.0.0.2", "111") == 0
    assert await lockout.attempt("10.0.0.3", "111") > 0  # the account, from anywhere
    assert await lockout.attempt("10.0.0.4", "222") == 0
    assert await lockout.attempt("10.0.0.1", "333") == 0
    assert await lockout.attempt("10.0.0.1", "444") > 0  # the address, for any account
    assert 0 < await redis.ttl(keys.dashboard_failures_ip("10.0.0.1")) <= 60

    await lockout.succeeded("10.0.0.4", "111")
    assert await redis.get(keys.dashboard_failures_ip("10.0.0.4")) == "0"  # its own refunded
    assert await lockout.attempt("10.0.0.5", "111") == 0  # the account is cleared

    waits = await asyncio.gather(*(lockout.attempt("10.0.0.9", "999") for _ in range(20)))
    assert all(0 < wait <= 60 for wait in waits if wait)
    assert waits.count(0) == 2


async def _signed_in_cookie(keys: Keys, account: str, password: str, **settings: Any) -> str:
    async with running_system(keys, redis_url(), **settings) as system:
        visitor = Visitor(system.base_url)
        try:
            assert await visitor.sign_in(account, password) == 303
            jar = visitor.http.cookie_jar.filter_cookies(URL(system.base_url + "/dashboard/"))
            return jar["zp_dashboard"].value
        finally:
            await visitor.close()


async def _opens_the_dashboard(keys: Keys, cookie: str, **settings: Any) -> bool:
    async with running_system(keys, redis_url(), **settings) as system:
        visitor = Visitor(system.base_url)
        try:
            visitor.http.cookie_jar.update_cookies({"zp_dashboard": cookie})
            status, _, _ = await visitor.get("/dashboard/", follow=False)
            return status == 200
        finally:
            await visitor.close()


async def test_a_rotated_admin_token_ends_the_sessions_it_opened(keys: Keys, redis: Redis) -> None:
    cookie = await _signed_in_cookie(keys, "", ADMIN_TOKEN)
    assert await _opens_the_dashboard(keys, cookie)  # a restart alone keeps it
    assert not await _opens_the_dashboard(keys, cookie, admin_token="rotated-" + ADMIN_TOKEN)
    assert not await _opens_the_dashboard(keys, cookie)  # and it was deleted, not suspended


async def test_a_changed_password_or_a_removed_admin_ends_the_session(
    keys: Keys, redis: Redis
) -> None:
    same = {"dashboard_passwords": f"{ADMIN_ID}:{hash_password(PASSWORD)}"}
    first = await _signed_in_cookie(keys, str(ADMIN_ID), PASSWORD, **same)
    second = await _signed_in_cookie(keys, str(ADMIN_ID), PASSWORD, **same)
    assert await _opens_the_dashboard(keys, first, **same)
    changed = {"dashboard_passwords": f"{ADMIN_ID}:{hash_password(PASSWORD + '-new')}"}
    assert not await _opens_the_dashboard(keys, first, **changed)
    removed = {"admin_ids": frozenset({ADMIN_ID + 1})}
    assert not await _opens_the_dashboard(keys, second, **removed)


async def test_the_cookie_is_secure_when_the_public_url_is_https(keys: Keys, redis: Redis) -> None:
    async with running_system(
        keys, redis_url(), public_base_url="https://zp.example.com"
    ) as system:
        visitor = Visitor(system.base_url)
        try:
            _, _, response = await visitor.get("/dashboard/login")
            assert "Secure" in response.headers["Set-Cookie"]
            # The client, like a browser, keeps a Secure cookie off plain http: hand it over.
            anonymous = response.cookies["zp_dashboard"].value
            form = {"account": "", "password": ADMIN_TOKEN, "csrf": visitor.csrf or ""}
            async with visitor.http.post(
                system.base_url + "/dashboard/login",
                data=form,
                headers={"Cookie": f"zp_dashboard={anonymous}"},
                allow_redirects=False,
            ) as signed_in:
                assert signed_in.status == 303
                assert "Secure" in signed_in.headers["Set-Cookie"]
        finally:
            await visitor.close()


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
