"""An aiogram session for talking to the simulator."""

from __future__ import annotations

from typing import Any

from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer


class SimSession(AiohttpSession):
    """aiogram's own `AiohttpSession`, pointed at the simulator.

    Requests go through aiogram's unchanged code; only `close()` skips the 250 ms pause
    aiogram makes for TLS connections to wind down, which plain HTTP to a local server
    does not need and which would otherwise add up across a test suite.
    """

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(api=TelegramAPIServer.from_base(base_url), **kwargs)

    async def close(self) -> None:
        client = self._session
        if client is not None and not client.closed:
            await client.close()
