"""CSV with English or Chinese headers (职位, 单位, 地点, 薪资, ...), comma, tab, semicolon
or pipe separated, as exported by Excel or WPS (UTF-8 with or without BOM, GB18030
or Big5)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from jobfeed.sources.fields import canonical
from jobfeed.sources.records import RawRecord, Rejection, SourceError

_DELIMITERS = ",\t;|"


def names_a_title(head: str) -> bool:
    """Whether the first non-blank line of this text is a header with a title column."""
    first = next((line for line in head.splitlines() if line.strip()), "")
    delimiter = max(_DELIMITERS, key=first.count)
    header = next(csv.reader([first], delimiter=delimiter), [])
    return "title" in (canonical(name) for name in header)


def parse_csv(lines: Iterable[str], unknown: set[str]) -> Iterator[RawRecord | Rejection]:
    rows = iter(lines)
    skipped = 0
    for header_line in rows:
        skipped += 1
        if header_line.strip():
            break
    else:
        return
    delimiter = max(_DELIMITERS, key=header_line.count)
    header = next(csv.reader([header_line], delimiter=delimiter))
    columns = [canonical(name) for name in header]
    unknown.update(name.strip() for name, col in zip(header, columns, strict=True) if not col)
    if "title" not in columns:
        raise SourceError(
            "no title column (职位/岗位/title); the columns are: "
            + ", ".join(name.strip() for name in header)
        )
    reader = csv.reader(rows, delimiter=delimiter)
    for values in reader:
        where = f"line {reader.line_num + skipped}"
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(columns) and any(v.strip() for v in values[len(columns) :]):
            yield Rejection(where, f"{len(values)} fields but {len(columns)} columns")
            continue
        fields: dict[str, str] = {}
        for column, value in zip(columns, values, strict=False):
            if column and value.strip() and column not in fields:
                fields[column] = value
        if "id" in fields:
            where = f"{where} (id {fields['id']})"
        yield RawRecord(where, fields)
