"""JSON Lines: one object per line, in the feed format of ``samples/vacancies.jsonl``
(other key names are understood too, see ``fields``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from jobfeed.sources.fields import map_fields
from jobfeed.sources.records import RawRecord, Rejection


def parse_jsonl(lines: Iterable[str], unknown: set[str]) -> Iterator[RawRecord | Rejection]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejection(where, f"not JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(obj, dict):
            yield Rejection(where, f"a JSON {type(obj).__name__}, not an object")
            continue
        fields = map_fields(obj, unknown)
        if "id" in fields:
            where = f"{where} (id {fields['id']})"
        yield RawRecord(where, fields)
