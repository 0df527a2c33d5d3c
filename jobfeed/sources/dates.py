"""Dates as sources write them -> aware datetimes (naive ones are in the local timezone).

Understood: ISO 8601 (with or without offset, date only), ``2026/11/15 08:00``,
``2026.11.15``, ``2026年11月15日``, RFC 822 (RSS), Unix seconds or milliseconds; and for
expiry also durations (``30天``, ``2周``, ``3个月``) counted from the posting time and
"no end" words (``长期``, ``不限``).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from email.utils import parsedate_to_datetime

_CHINESE = re.compile(
    r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?\s*(?:(\d{1,2})[:时点](\d{1,2})?分?)?$"
)
_SLASHED = re.compile(
    r"^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
_DURATION = re.compile(r"^(\d+)\s*(天|日|周|星期|个月|月|年|days?|weeks?|months?)$")
_OPEN_ENDED = {"长期", "长期有效", "长期招聘", "不限", "无", "常年", "常年招聘"}
_DAYS = {
    "天": 1,
    "日": 1,
    "day": 1,
    "days": 1,
    "周": 7,
    "星期": 7,
    "week": 7,
    "weeks": 7,
    "个月": 30,
    "月": 30,
    "month": 30,
    "months": 30,
    "年": 365,
}


class DateError(ValueError):
    """A date we cannot read."""


def parse_datetime(value: object, tz: tzinfo, *, end_of_day: bool = False) -> datetime:
    """A point in time; a bare date is its start (or, for deadlines, its end) locally."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_epoch(float(value))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if re.fullmatch(r"\d{10}(\d{3})?(\.\d+)?", text):
        return _from_epoch(float(text))
    parsed = _parse_text(text)
    if parsed is None:
        raise DateError(f"cannot read the date {text!r}")
    if isinstance(parsed, datetime):
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
    moment = datetime.combine(parsed, time.min, tzinfo=tz)
    return moment + timedelta(days=1) if end_of_day else moment


def parse_expiry(value: object, posted_at: datetime, tz: tzinfo) -> datetime | None:
    """A deadline; None for open-ended ones (the caller applies the default expiry)."""
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    if text in _OPEN_ENDED:
        return None
    duration = _DURATION.match(text)
    if duration:
        return posted_at + timedelta(days=int(duration.group(1)) * _DAYS[duration.group(2)])
    return parse_datetime(value, tz, end_of_day=True)


def _from_epoch(seconds: float) -> datetime:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    return datetime.fromtimestamp(seconds, UTC)


def _parse_text(text: str) -> datetime | date | None:
    iso = text.replace("Z", "+00:00") if text.endswith("Z") else text
    try:
        return date.fromisoformat(iso) if len(iso) == 10 else datetime.fromisoformat(iso)
    except ValueError:
        pass
    for pattern in (_CHINESE, _SLASHED):
        match = pattern.match(text)
        if match:
            parts = [int(p) if p else 0 for p in match.groups()]
            try:
                if match.group(4) is None:
                    return date(parts[0], parts[1], parts[2])
                year, month, day, hour, minute, second = [*parts, 0][:6]
                return datetime(year, month, day, hour, minute, second)
            except ValueError:
                break
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
