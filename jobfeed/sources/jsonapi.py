"""A JSON endpoint: an array of vacancy objects, or an object holding one (``items``,
``data.list``, ... or the path configured for the source)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from jobfeed.sources.fields import map_fields
from jobfeed.sources.records import RawRecord, Rejection, SourceError

_CONTAINERS = ("items", "data", "list", "results", "vacancies", "jobs", "records", "rows")


def parse_json(
    body: bytes, unknown: set[str], items_path: str | None = None
) -> Iterator[RawRecord | Rejection]:
    try:
        document = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(f"not JSON: {exc}") from None
    items = _items(document, items_path)
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            yield Rejection(f"item {number}", f"a JSON {type(item).__name__}, not an object")
            continue
        fields = map_fields(item, unknown)
        where = f"item {number}" + (f" (id {fields['id']})" if "id" in fields else "")
        yield RawRecord(where, fields)


def _items(document: Any, path: str | None) -> list[Any]:
    if path:
        for part in path.split("."):
            if not isinstance(document, dict) or part not in document:
                raise SourceError(f"no {path!r} in the JSON document")
            document = document[part]
        if not isinstance(document, list):
            raise SourceError(f"{path!r} is not a list")
        return document
    for _ in range(3):  # an array, or an array at most two containers deep
        if isinstance(document, list):
            return document
        if not isinstance(document, dict):
            break
        inner = next((document[k] for k in _CONTAINERS if k in document), None)
        if inner is None:
            break
        document = inner
    raise SourceError('no list of vacancies in the JSON document (set items = "path")')
