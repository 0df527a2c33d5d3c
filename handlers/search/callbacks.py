"""Inline-button data of the private search, as aiogram ``CallbackData`` factories.

Each button names the saved search (``t``, see ``jobfeed.search.saved``) and the user it
was shown to (``u``): anyone who sees a button can press it, and Telegram delivers the
same data again on every press, so handlers check the presser and load the search afresh.
Data that does not unpack (an old or forged button) reaches ``EXPIRED_PREFIXES``' fallback.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field, StringConstraints

from jobfeed.search.saved import TOKEN

Token = Annotated[str, StringConstraints(pattern=TOKEN.pattern)]
UserId = Annotated[int, Field(gt=0)]

PAY_STEPS = (3000, 5000, 8000, 10000)  # monthly CNY the pay filter offers
CITY_BUTTON = re.compile(r"^[\u3400-\u9fff]{1,6}$")  # a city name short enough for the data


class FilterKind(StrEnum):
    city = "c"
    pay = "p"


class SearchPage(CallbackData, prefix="sp"):
    t: Token
    u: UserId
    p: int = Field(ge=0, le=9999)


class SearchMenu(CallbackData, prefix="sm"):
    """Show the choices of one filter."""

    t: Token
    u: UserId
    k: FilterKind


class SearchSet(CallbackData, prefix="ss"):
    """Set one filter; ``v`` empty clears it."""

    t: Token
    u: UserId
    k: FilterKind
    v: str = ""

    def city(self) -> str | None:
        """The chosen city; raises ValueError when ``v`` is no city a button would carry."""
        if self.k is not FilterKind.city:
            raise ValueError("not a city button")
        if self.v and not CITY_BUTTON.fullmatch(self.v):
            raise ValueError(f"{self.v!r} is not a city")
        return self.v or None

    def min_pay(self) -> int | None:
        """The chosen minimum pay; raises ValueError unless ``v`` is one the menu offers."""
        if self.k is not FilterKind.pay:
            raise ValueError("not a pay button")
        if not self.v:
            return None
        if self.v not in {str(step) for step in PAY_STEPS}:
            raise ValueError(f"{self.v!r} is not a pay step")
        return int(self.v)


EXPIRED_PREFIXES = tuple(f"{f.__prefix__}:" for f in (SearchPage, SearchMenu, SearchSet))
