"""The Links port: where a person goes to apply, or to see a search, in some channel.

Every surface that shows an apply link (posts, search answers, web pages, the API)
asks this port; each channel implements it once (Telegram: ``bot.telegram.links``), and
how its links are spelled (deep-link payloads and their limits) is its own business.
"""

from __future__ import annotations

from typing import Protocol


class Links(Protocol):
    async def apply_link(self, vacancy_id: str) -> str:
        """A link that opens a conversation applying to ``vacancy_id``; ``ValueError``
        when the id cannot travel in one."""
        ...

    async def resume_link(self) -> str:
        """A link that opens a conversation building a résumé, without applying."""
        ...

    async def search_link(self, token: str) -> str:
        """A link that opens a conversation showing the search saved under ``token``."""
        ...

    async def alert_link(self, token: str) -> str:
        """A link that opens a conversation offering alerts for the query kept under
        ``token`` (有新岗位通知我 under a group answer)."""
        ...
