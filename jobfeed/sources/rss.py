"""RSS and Atom feeds (feedparser). An entry's fields come from its standard elements,
from extension elements (``<job:employer>``) and from ``标签：值`` lines in its text."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import feedparser

from jobfeed.sources.fields import canonical, map_fields
from jobfeed.sources.records import RawRecord, Rejection, SourceError

_BREAKS = re.compile(r"<\s*(br|/p|/div|/li|/tr)\b[^>]*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
_LABELLED = re.compile(r"^\s*[【\[]?([^\s:：】\]]{1,8})[】\]]?\s*[:：]\s*(.+?)\s*$", re.MULTILINE)
# Elements whose meaning feedparser already gives under a standard name.
_STANDARD = {"id", "title", "link", "summary", "published", "updated", "author"}


def parse_feed(body: bytes, unknown: set[str]) -> Iterator[RawRecord | Rejection]:
    parsed = feedparser.parse(body)
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        reason = parsed.get("bozo_exception") or "no feed version and no entries"
        raise SourceError(f"not an RSS or Atom feed: {reason}")
    for number, entry in enumerate(parsed.entries, start=1):
        fields = _fields(entry, unknown)
        raw_id = fields.get("id")
        where = f"entry {raw_id}" if raw_id else f"entry {number}"
        if not raw_id:
            yield Rejection(where, "no id (guid) and no link")
            continue
        yield RawRecord(where, fields)


def _fields(entry: Any, unknown: set[str]) -> dict[str, Any]:
    text = plain_text(entry.get("summary") or entry.get("description") or "")
    fields: dict[str, Any] = {
        "id": entry.get("id") or entry.get("link"),
        "title": entry.get("title"),
        "url": entry.get("link"),
        "description": text,
        "posted_at": entry.get("published") or entry.get("updated"),
    }
    extensions = {
        key: value
        for key, value in entry.items()
        if key not in _STANDARD and isinstance(value, str) and "_" in key
    }
    for name, value in map_fields(extensions, set()).items():
        fields.setdefault(name, value)
    for label, value in _LABELLED.findall(text):
        field = canonical(label)
        if field and field not in ("id", "description", "title"):
            fields.setdefault(field, value)
    if "author" in entry and "employer" not in fields:
        fields["employer"] = entry.get("author")
    return {k: v for k, v in fields.items() if v not in (None, "")}


def plain_text(markup: str) -> str:
    """HTML as readable text: line breaks kept, tags dropped, entities decoded."""
    text = _TAGS.sub("", _BREAKS.sub("\n", markup))
    lines = (line.strip() for line in html.unescape(text).splitlines())
    return "\n".join(line for line in lines if line)
