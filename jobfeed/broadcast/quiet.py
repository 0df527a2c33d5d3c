"""Quiet hours: a daily local-time window (``22:00-07:00``) in which no group is posted to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class QuietHours:
    start: time
    end: time
    zone: ZoneInfo

    @classmethod
    def parse(cls, text: str, zone: str) -> QuietHours:
        """``"22:00-07:00"`` in ``zone`` (an IANA name such as ``Asia/Shanghai``)."""
        first, sep, second = text.partition("-")
        if not sep:
            raise ValueError(f"quiet hours must look like 22:00-07:00, got {text!r}")
        start, end = time.fromisoformat(first.strip()), time.fromisoformat(second.strip())
        if start == end:
            raise ValueError("quiet hours start and end at the same time")
        return cls(start, end, ZoneInfo(zone))

    def contains(self, moment: datetime) -> bool:
        now = moment.astimezone(self.zone).time()
        if self.start < self.end:
            return self.start <= now < self.end
        return now >= self.start or now < self.end  # the window spans midnight

    def remaining(self, moment: datetime) -> float:
        """Seconds until the window ends (0 outside it)."""
        if not self.contains(moment):
            return 0.0
        local = moment.astimezone(self.zone)
        end = datetime.combine(local.date(), self.end, tzinfo=self.zone)
        if end <= local:
            end += timedelta(days=1)
        return (end - local).total_seconds()
