"""Calling WeCom: one aiohttp session per process (opened at the first call), JSON in and
out, and what went wrong said without the URL (a robot's URL holds its key).

WeCom answers errors with HTTP 200 and ``errcode`` in the body; a call answers the body.
A failure to reach it raises ``Unreachable`` (nothing was sent: worth a retry) or
``NoReply`` (the request may have been taken).
"""

from __future__ import annotations

from typing import Any

import aiohttp

DEFAULT_BASE = "https://qyapi.weixin.qq.com"
TIMEOUT = 30.0  # seconds; a call hanging longer has an unknown outcome


class Unreachable(Exception):
    """No connection was made, or WeCom answered 5xx: the request was not taken."""


class NoReply(Exception):
    """The request went out but no readable reply came back."""


class WeComHttp:
    def __init__(self, base_url: str = DEFAULT_BASE, timeout: float = TIMEOUT) -> None:
        self.base_url = base_url.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def call(
        self, method: str, path: str, query: dict[str, str], body: Any = None
    ) -> dict[str, Any]:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        url = f"{self.base_url}{path}"
        # Never put the exception's text in ours: aiohttp's can quote the URL (the key).
        try:
            async with self._session.request(method, url, params=query, json=body) as response:
                if response.status >= 500:
                    raise Unreachable(f"HTTP {response.status}")
                if response.status != 200:
                    raise NoReply(f"HTTP {response.status}")
                data = await response.json(content_type=None)
        except (aiohttp.ClientConnectorError, aiohttp.InvalidURL) as exc:
            raise Unreachable(type(exc).__name__) from None
        except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
            raise NoReply(type(exc).__name__) from None
        if not isinstance(data, dict) or not isinstance(data.get("errcode", 0), int):
            raise NoReply("not a WeCom answer")
        return data

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
