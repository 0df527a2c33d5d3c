"""What ``GET /readyz`` reports: the parts of this process that are down, and why.

Jobs mark themselves down and up again; the endpoint adds Redis, asked on each call.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


class Readiness:
    def __init__(self) -> None:
        self._down: dict[str, str] = {}

    def down(self, part: str, why: str) -> None:
        if self._down.get(part) != why:
            log.info("Not ready: %s: %s", part, why)
        self._down[part] = why

    def up(self, part: str) -> None:
        if self._down.pop(part, None) is not None:
            log.info("Ready again: %s", part)

    @property
    def problems(self) -> dict[str, str]:
        return dict(self._down)
