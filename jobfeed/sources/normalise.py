"""A raw record -> a ``Vacancy``, or a ``RecordError`` saying precisely what is wrong.

Titles and employers are kept as written (traditional characters included: search folds
them itself); places become short simplified names; pay, phone and dates are parsed; a
vacancy without a deadline gets the default expiry. Nothing is written here.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from pydantic import ValidationError

from jobfeed.models import SalaryUnit, Vacancy, VacancyStatus
from jobfeed.sources.dates import DateError, parse_datetime, parse_expiry
from jobfeed.sources.pay import PayError, parse_pay
from jobfeed.sources.phone import PhoneError, normalise_phone
from jobfeed.sources.place import PlaceError, PlaceResolver
from jobfeed.sources.records import RawRecord
from jobfeed.sources.textnorm import fold

_ID_CHARS = re.compile(r"^[A-Za-z0-9_-]+$")
_MAX_ID = 40
_LIST_SPLIT = re.compile(r"[、,，;；|/\n]+|\s{1,}")
_LONG_TEXT = 4000
_UNITS = {
    "month": SalaryUnit.month,
    "月": SalaryUnit.month,
    "元/月": SalaryUnit.month,
    "monthly": SalaryUnit.month,
    "day": SalaryUnit.day,
    "天": SalaryUnit.day,
    "日": SalaryUnit.day,
    "元/天": SalaryUnit.day,
    "daily": SalaryUnit.day,
    "hour": SalaryUnit.hour,
    "小时": SalaryUnit.hour,
    "时": SalaryUnit.hour,
    "元/小时": SalaryUnit.hour,
    "hourly": SalaryUnit.hour,
}
_CLOSED = {
    "closed",
    "filled",
    "expired",
    "inactive",
    "已招满",
    "招满",
    "已结束",
    "结束",
    "停止招聘",
    "暂停招聘",
    "已关闭",
    "关闭",
    "下架",
    "已下架",
    "已过期",
    "过期",
    "false",
    "0",
}
# Status a person set in the bot: a feed update must not undo it.
_KEPT = {VacancyStatus.pending, VacancyStatus.rejected, VacancyStatus.closed}


class RecordError(ValueError):
    """Why a record cannot become a vacancy (goes into the import report)."""


@dataclass(frozen=True, slots=True)
class SourceIdentity:
    """Whose records these are: ``name`` is stored on the vacancy, ``id_prefix`` keeps two
    sources' ``123`` apart (``""`` keeps ids as they are, as for our own feed format)."""

    name: str
    id_prefix: str = ""
    default_expiry: timedelta | None = None  # None: the importer's default

    def vacancy_id(self, raw_id: str) -> str:
        head = f"{self.id_prefix}-" if self.id_prefix else ""
        if _ID_CHARS.match(raw_id) and len(head) + len(raw_id) <= _MAX_ID:
            return head + raw_id
        # URLs, Chinese or overlong ids cannot travel in a /start payload: use a digest.
        return head + "h" + hashlib.sha1(raw_id.encode()).hexdigest()[:16]

    def source_key(self, raw_id: str) -> str:
        """The source's own id, unique across sources (for aliases and change digests)."""
        return f"{self.name}\x1f{raw_id}"


class Normaliser:
    def __init__(self, places: PlaceResolver, tz: tzinfo, default_expiry: timedelta) -> None:
        self._places = places
        self._tz = tz
        self._default_expiry = default_expiry

    def raw_id(self, record: RawRecord) -> str:
        """The source's id for a record; derived from employer, title and place if absent."""
        given = _text(record.fields.get("id"))
        if given:
            return given
        parts = [_text(record.fields.get(f)) or "" for f in ("employer", "title", "city", "place")]
        if not parts[0] or not parts[1]:
            raise RecordError(_missing(record.fields))
        return "k" + hashlib.sha1(fold("|".join(parts)).encode()).hexdigest()[:15]

    def vacancy(
        self,
        record: RawRecord,
        source: SourceIdentity,
        now: datetime,
        previous: Vacancy | None = None,
    ) -> Vacancy:
        f = record.fields
        title, employer = _text(f.get("title")), _text(f.get("employer"))
        if not title or not employer:
            raise RecordError(_missing(f))
        try:
            city, province = self._places.resolve(
                _text(f.get("city")), _text(f.get("province")), _text(f.get("place"))
            )
            low, high, unit = _pay(f)
            phone = _phone(f.get("contact_phone"))
            posted = self._posted(f.get("posted_at"), previous, now)
            expires = self._expires(f.get("expires_at"), posted, source.default_expiry)
        except (PlaceError, PayError, PhoneError, DateError) as exc:
            raise RecordError(str(exc)) from None
        data: dict[str, Any] = {
            "id": source.vacancy_id(self.raw_id(record)),
            "title": title,
            "employer": employer,
            "city": city,
            "province": province,
            "salary_min": low,
            "salary_max": high,
            "salary_unit": unit,
            "headcount": _headcount(f.get("headcount")),
            "requirements": _long(f.get("requirements")),
            "benefits": _benefits(f.get("benefits")),
            "description": _long(f.get("description")),
            "brand": _text(f.get("brand")),
            "contact_phone": phone,
            "posted_at": posted,
            "expires_at": expires,
            "url": _text(f.get("url")),
            "status": _status(f.get("status"), expires, now, previous),
            "source": source.name,
            "updated_at": now,
        }
        if previous is not None:
            data["recruiter_id"] = previous.recruiter_id
            data["screening"] = previous.screening
        try:
            return Vacancy.model_validate(data)
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in err["loc"]) or "record"
            raise RecordError(f"{where}: {err['msg']}") from None

    def _posted(self, value: Any, previous: Vacancy | None, now: datetime) -> datetime:
        if _text(value):
            return parse_datetime(value, self._tz)
        return previous.posted_at if previous else now

    def _expires(self, value: Any, posted: datetime, default: timedelta | None) -> datetime:
        found = parse_expiry(value, posted, self._tz) if _text(value) else None
        return found or posted + (default or self._default_expiry)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _missing(fields: dict[str, Any]) -> str:
    absent = [name for name in ("title", "employer") if not _text(fields.get(name))]
    labels = {"title": "title (职位)", "employer": "employer (单位)"}
    return "missing " + " and ".join(labels[name] for name in absent)


def _pay(f: dict[str, Any]) -> tuple[int | None, int | None, SalaryUnit]:
    unit = _unit(f.get("salary_unit"))
    low, high = _amount(f.get("salary_min")), _amount(f.get("salary_max"))
    if low is not None or high is not None:
        return low, high, unit or SalaryUnit.month
    text = _text(f.get("salary"))
    if text is None:
        return None, None, unit or SalaryUnit.month
    pay = parse_pay(text)
    return pay.low, pay.high, unit or pay.unit


def _amount(value: Any) -> int | None:
    text = _text(value)
    if text is None:
        return None
    try:
        return round(float(text))
    except ValueError:
        pay = parse_pay(text)
        return pay.low if pay.low is not None else pay.high


def _unit(value: Any) -> SalaryUnit | None:
    text = _text(value)
    if text is None:
        return None
    unit = _UNITS.get(text.lower())
    if unit is None:
        raise PayError(f"salary unit {text!r} is not month, day or hour")
    return unit


def _phone(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    try:
        return normalise_phone(text)
    except PhoneError as exc:
        raise PhoneError(f"contact phone: {exc}") from None


def _headcount(value: Any) -> int:
    text = _text(value)
    match = re.search(r"\d+", text or "")
    return max(1, int(match.group())) if match else 1  # 若干 / 不限: at least one


def _benefits(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else _LIST_SPLIT.split(str(value))
    return [str(item).strip()[:200] for item in items if str(item).strip()]


def _long(value: Any) -> str:
    text = _text(value) or ""
    return text if len(text) <= _LONG_TEXT else text[: _LONG_TEXT - 1] + "…"


def _status(
    value: Any, expires: datetime, now: datetime, previous: Vacancy | None
) -> VacancyStatus:
    if previous is not None and previous.status in _KEPT:
        return previous.status
    text = (_text(value) or "").lower()
    if text in _CLOSED:
        return VacancyStatus.closed
    return VacancyStatus.active if expires > now else VacancyStatus.expired
