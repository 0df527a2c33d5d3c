"""A dashboard visitor over HTTP: a cookie jar, the CSRF token of the last page, sign-in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientResponse, ClientSession, CookieJar, TCPConnector

from tests.harness import ADMIN_TOKEN

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Visitor:
    base_url: str
    source: str | None = None  # the visitor's own address, e.g. 127.0.0.2 (any of 127/8)
    http: ClientSession = field(init=False)
    csrf: str | None = None

    def __post_init__(self) -> None:
        local = (self.source, 0) if self.source else None
        # The default jar ignores cookies of IP-address hosts such as 127.0.0.1.
        self.http = ClientSession(
            cookie_jar=CookieJar(unsafe=True), connector=TCPConnector(local_addr=local)
        )

    async def close(self) -> None:
        await self.http.close()

    async def get(self, path: str, **kwargs: Any) -> tuple[int, str, ClientResponse]:
        async with self.http.get(
            self.base_url + path, allow_redirects=kwargs.pop("follow", True), **kwargs
        ) as response:
            text = await response.text()
            found = _CSRF.search(text)
            if found:
                self.csrf = found.group(1)
            return response.status, text, response

    async def post(
        self, path: str, data: dict[str, str], *, csrf: bool = True, follow: bool = False
    ) -> tuple[int, str, ClientResponse]:
        form = dict(data)
        if csrf and self.csrf:
            form["csrf"] = self.csrf
        async with self.http.post(
            self.base_url + path, data=form, allow_redirects=follow
        ) as response:
            return response.status, await response.text(), response

    async def sign_in(self, account: str = "", password: str = ADMIN_TOKEN) -> int:
        await self.get("/dashboard/login")
        status, _, _ = await self.post(
            "/dashboard/login", {"account": account, "password": password}
        )
        await self.get("/dashboard/")  # picks up the signed-in session's CSRF token
        return status
