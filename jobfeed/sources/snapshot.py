"""A snapshot feed moved in time, for the demo and the tests.

``samples/vacancies.jsonl`` was written on one day and its deadlines pass; whoever shows it
or tests with it moves every date by the same shift, so the newest vacancy was posted just
before ``now`` and the gaps between the dates (what expires first) stay as written.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

DATE_FIELDS = ("posted_at", "expires_at")


def moved_to(
    rows: list[dict[str, Any]], now: datetime, *, age: timedelta = timedelta(minutes=5)
) -> list[dict[str, Any]]:
    """Copies of feed rows shifted in time so the newest was posted ``age`` before ``now``."""
    newest = max(datetime.fromisoformat(row["posted_at"]) for row in rows)
    shift = now - age - newest
    return [
        row
        | {
            field: (datetime.fromisoformat(row[field]) + shift).isoformat()
            for field in DATE_FIELDS
            if row.get(field)
        }
        for row in rows
    ]


def read_moved_to(path: Path, now: datetime) -> list[dict[str, Any]]:
    """The rows of a JSON Lines snapshot feed, moved so they are current at ``now``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return moved_to([json.loads(line) for line in lines if line.strip()], now)
