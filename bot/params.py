"""Integers and days from URL paths and query strings: ASCII digits only, within stated bounds.

``str.isdigit()`` accepts ``²``, which ``int()`` then refuses; ``int()`` accepts
full-width and Arabic-Indic digits; an unbounded offset reaches Redis, which refuses
anything past int64. Every surface reads its path and query integers here instead, and
every refusal is a ``BadInput``: a 400 at the API (JSON), the dashboard and the site.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from aiohttp import web
from pydantic import BeforeValidator, WithJsonSchema

INT64_MAX = 2**63 - 1
MAX_OFFSET = 10**9  # far past any listing; Redis refuses offsets past int64
_INTEGER = re.compile(r"-?[0-9]{1,19}")


def _ascii_integer(value: object) -> object:
    if isinstance(value, str) and _INTEGER.fullmatch(value) is None:
        raise ValueError("must be an integer written in ASCII digits")
    return value


# For pydantic models of path and query parameters (the API): the same rule as parse_int,
# with the bounds given by the field (``Field(ge=..., le=...)``), so OpenAPI shows them.
ASCII_DIGITS = BeforeValidator(_ascii_integer)
Integer = Annotated[int, ASCII_DIGITS]

DAY_PATTERN = r"^(19|2\d)\d{2}-\d{2}-\d{2}$"


def _iso_day(value: object) -> object:
    """Only ``YYYY-MM-DD`` from 1900 to 2999: pydantic would also take a number as seconds
    since 1970, and a day next to year 1 or 9999 has no day before or after it."""
    if not isinstance(value, str) or not re.fullmatch(DAY_PATTERN, value):
        raise ValueError("a day is YYYY-MM-DD, e.g. 2026-05-01")
    return value


# A day in a query, documented as OpenAPI's ``format: date``.
Day = Annotated[
    date,
    BeforeValidator(_iso_day),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DAY_PATTERN}),
]


class BadInput(ValueError):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


def parse_int(raw: str, *, name: str, low: int, high: int) -> int:
    """``raw`` as an integer in ``[low, high]``; ``BadInput`` otherwise."""
    if _INTEGER.fullmatch(raw) is None or not low <= int(raw) <= high:
        raise BadInput(name, f"must be an integer from {low} to {high}")
    return int(raw)


def path_int(request: web.Request, name: str, *, low: int, high: int) -> int:
    return parse_int(request.match_info[name], name=name, low=low, high=high)


def query_int(request: web.Request, name: str, *, default: int, low: int, high: int) -> int:
    """The query parameter ``name`` (its last value), or ``default`` when it is absent."""
    values = request.query.getall(name, [])
    if not values:
        return default
    return parse_int(values[-1], name=name, low=low, high=high)
