"""From bytes or a file to records, by source kind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from jobfeed.sources.config import SourceKind
from jobfeed.sources.csvfile import names_a_title, parse_csv
from jobfeed.sources.encoding import decode, read_lines
from jobfeed.sources.jsonapi import parse_json
from jobfeed.sources.jsonl import parse_jsonl
from jobfeed.sources.records import RawRecord, Rejection
from jobfeed.sources.rss import parse_feed

Records = Iterator[RawRecord | Rejection]
_BY_SUFFIX = {
    ".jsonl": SourceKind.jsonl,
    ".ndjson": SourceKind.jsonl,
    ".csv": SourceKind.csv,
    ".tsv": SourceKind.csv,
    ".txt": SourceKind.csv,
    ".json": SourceKind.json,
    ".xml": SourceKind.rss,
    ".rss": SourceKind.rss,
    ".atom": SourceKind.rss,
}


def kind_of(path: Path) -> SourceKind | None:
    """The kind a file name suggests (``.jsonl``, ``.csv``, ``.json``, ``.xml``), or None."""
    return _BY_SUFFIX.get(path.suffix.lower())


def records_from_bytes(
    kind: SourceKind, body: bytes, unknown: set[str], items: str | None = None
) -> Records:
    if kind is SourceKind.rss:
        return parse_feed(body, unknown)
    if kind is SourceKind.json:
        return parse_json(body, unknown, items)
    if kind is SourceKind.jsonl:
        return parse_jsonl(decode(body).splitlines(keepends=True), unknown)
    return parse_csv(decode(body, names_a_title).splitlines(keepends=True), unknown)


def records_from_file(
    kind: SourceKind, path: Path, unknown: set[str], items: str | None = None
) -> Records:
    """Lines are streamed for JSON Lines and CSV, so a large file is never held whole."""
    if kind is SourceKind.jsonl:
        return parse_jsonl(read_lines(path), unknown)
    if kind is SourceKind.csv:
        return parse_csv(read_lines(path, names_a_title), unknown)
    return records_from_bytes(kind, path.read_bytes(), unknown, items)


def count_records(kind: SourceKind, path: Path) -> int | None:
    """How many rows a JSON Lines or CSV file holds (for a progress bar), else None."""
    if kind not in (SourceKind.jsonl, SourceKind.csv):
        return None
    with path.open("rb") as raw:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: raw.read(1 << 20), b""))
    return max(0, lines - (kind is SourceKind.csv))
