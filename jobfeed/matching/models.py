"""A job seeker's availability (求职意向): the trades, places and pay they want, and since when.

It is made from a query the seeker asked (``from_query``), read the way the search reads
it, so that an alert later matches what the seeker would have found: the trade terms, the
place (a city, a county, a province, or anywhere), the pay asked for.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import date, datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from jobfeed.models import utcnow
from jobfeed.places import Place, PlaceLevel, Places
from jobfeed.search.query import ParsedQuery

MAX_TRADES = 5
MAX_PLACES = 5
MAX_PER_PERSON = 10  # availabilities one person may keep
TEXT_VERSION = 1  # of the consent text shown (templates/bot/alerts.j2 ``confirm``)


_BARE_PAY = re.compile(
    r"(?<![\d.])([1-9]\d{3,5})(?![\d.%]|以上|以下|元|块|起|年|月|天|号|[kKwW万千])"
)


def seeking_text(text: str) -> str:
    """``电焊工 通辽 8000`` as a 找活 post writes it: a bare figure of four to six digits is
    the least monthly pay asked (``8000以上``), as the search reads pay wishes."""
    return _BARE_PAY.sub(r"\1以上", " ".join(text.split()))


_PAY_FIGURE = re.compile(r"[1-9]\d{3,5}")

_FROM = r"(?:起|以后|之后|后|开始|可到岗|到岗|可以上班)?"
_FULL_DATE = re.compile(rf"(20\d\d)[-/.年](\d{{1,2}})[-/.月](\d{{1,2}})[日号]?{_FROM}")
_MONTH_DAY = re.compile(rf"(?<!\d)(\d{{1,2}})月(\d{{1,2}})[日号]{_FROM}")
_MONTH = re.compile(r"(?<!\d)(\d{1,2})月份?(?:起|以后|之后|后|开始|初)")
_NEXT_MONTH = re.compile(rf"下个?月{_FROM}")
_NEXT_WEEK = re.compile(rf"下(?:周|星期|个星期){_FROM}")


def _month_day(found: re.Match[str], today: date) -> date:
    day = date(today.year, int(found.group(1)), int(found.group(2)))
    return day if day >= today else day.replace(year=today.year + 1)


def _month(found: re.Match[str], today: date) -> date:
    month = int(found.group(1))
    return date(today.year if month >= today.month else today.year + 1, month, 1)


def _next_month(found: re.Match[str], today: date) -> date:
    return (
        date(today.year + 1, 1, 1)
        if today.month == 12
        else today.replace(month=today.month + 1, day=1)
    )


_STARTS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], date], date]], ...] = (
    (_FULL_DATE, lambda found, _: date(*(int(g) for g in found.groups()))),
    (_MONTH_DAY, _month_day),
    (_MONTH, _month),
    (_NEXT_MONTH, _next_month),
    (_NEXT_WEEK, lambda _, today: today + timedelta(days=7)),
)


def start_date(text: str, today: date) -> tuple[date | None, str]:
    """The day a wish says the person can start (``3月1日起``, ``2027-03-01以后``,
    ``5月份开始``, ``下个月``, ``下周``) and the text without it; a day without a year is
    the next such day. None (and the text as it was) when it names none or no real day."""
    for pattern, day_of in _STARTS:
        found = pattern.search(text)
        if found is None:
            continue
        try:
            return day_of(found, today), _without(text, found)
        except ValueError:  # 2月30日
            return None, text
    return None, text


def _without(text: str, found: re.Match[str]) -> str:
    return " ".join(f"{text[: found.start()]} {text[found.end() :]}".split())


def resume_text(desired_job: str, desired_place: str, expected_pay: str) -> str:
    """The wish a résumé states (期望工作, 期望地点, 期望薪资) as a query the search reads:
    ``电焊工 天津 8000以上`` (the least figure of the pay asked; 面议 asks none)."""
    figures = [int(f) for f in _PAY_FIGURE.findall(expected_pay)]
    pay = f" {min(figures)}以上" if figures else ""
    place = (
        "" if desired_place.strip() in {"不限", "都可以", "全国", "随便", "无"} else desired_place
    )
    return " ".join(f"{desired_job} {place}{pay}".split())


class PlaceWish(BaseModel):
    """A place the seeker would work in, as ``jobfeed.places`` names it."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1, max_length=20)
    province: str = Field(min_length=1, max_length=20)
    level: PlaceLevel

    @property
    def key(self) -> str:
        """What vacancies' places are looked up by (``jobfeed.matching.matcher``)."""
        if self.level is PlaceLevel.province:
            return f"p|{self.name}"
        return f"c|{self.province}|{self.name}"

    @classmethod
    def of(cls, place: Place) -> PlaceWish:
        return cls(name=place.name, province=place.province, level=place.level)


class AvailabilityConsent(BaseModel):
    model_config = ConfigDict(frozen=True)

    retention_days: int = Field(ge=1)
    given_at: datetime = Field(default_factory=utcnow)
    text_version: int = TEXT_VERSION


class Availability(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str = Field(default_factory=lambda: secrets.token_urlsafe(6), pattern=r"^[\w-]{1,16}$")
    person: int  # who is told, in the channel that reaches them (today a user id)
    trades: tuple[str, ...] = Field(default=(), max_length=MAX_TRADES)  # empty: any trade
    places: tuple[PlaceWish, ...] = Field(default=(), max_length=MAX_PLACES)  # empty: anywhere
    min_pay: int | None = Field(default=None, ge=0, le=1_000_000)  # monthly CNY
    available_from: date
    alerts: bool = True
    query: str = Field(default="", max_length=200)  # what it was made from
    consent: AvailabilityConsent
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def anywhere(self) -> bool:
        return not self.places


def from_query(
    query: ParsedQuery,
    *,
    person: int,
    places: Places,
    city: str | None,
    min_pay: int | None,
    consent: AvailabilityConsent,
    today: date,
    start: date | None = None,
) -> Availability | None:
    """The availability a query asks for; None when it names neither trade, place nor pay
    (an alert for every vacancy anywhere would be spam, not a wish)."""
    trades = list(dict.fromkeys(query.terms)) or (
        [query.core.strip()] if query.core.strip() else []
    )
    trades = [" ".join(t.split())[:20] for t in trades if t.strip()][:MAX_TRADES]
    where: list[PlaceWish] = []
    if query.place is not None:
        where.append(PlaceWish.of(query.place))
        # Several places (电焊工 通辽 赤峰): the search reads the first, a wish keeps them all.
        for mention in places.find_all(query.text):
            wish = PlaceWish.of(mention.place)
            if wish not in where and len(where) < MAX_PLACES:
                where.append(wish)
    elif city:
        name, province = places.normalise(city)
        found = places.get(name, province)
        if found is not None:
            where.append(PlaceWish.of(found))
    pay = query.wishes.min_pay if query.wishes.min_pay is not None else min_pay
    if not trades and not where and pay is None:
        return None
    return Availability(
        person=person,
        trades=tuple(trades),
        places=tuple(where),
        min_pay=pay,
        available_from=max(start, today) if start else today,
        query=query.text[:200],
        consent=consent,
    )
