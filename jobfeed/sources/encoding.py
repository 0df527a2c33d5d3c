"""Text from bytes: UTF-8 (with or without BOM), else GB18030 (Excel and WPS on Chinese
Windows), decided on the first megabyte; a file in neither is a ``SourceError``."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from jobfeed.sources.records import SourceError

_SNIFF = 1 << 20


def detect_encoding(head: bytes) -> str:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        try:
            codecs.getincrementaldecoder("gb18030")().decode(head, final=False)
        except UnicodeDecodeError:
            raise SourceError("the text is neither UTF-8 nor GB18030") from None
        return "gb18030"
    return "utf-8-sig"


def decode(data: bytes) -> str:
    encoding = detect_encoding(data[:_SNIFF])
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise SourceError(f"undecodable bytes at offset {exc.start} ({encoding})") from None


def read_lines(path: Path) -> Iterator[str]:
    """The file's lines, decoded; a decoding error names the byte offset."""
    with path.open("rb") as raw:
        encoding = detect_encoding(raw.read(_SNIFF))
        raw.seek(0)
        yield from _lines(raw, encoding)


def _lines(raw: BinaryIO, encoding: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    pending = ""
    for chunk in iter(lambda: raw.read(1 << 16), b""):
        try:
            pending += decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            raise SourceError(
                f"undecodable bytes at offset {offset + exc.start} ({encoding})"
            ) from None
        offset += len(chunk)
        *complete, pending = pending.split("\n")
        for line in complete:
            yield line + "\n"
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending
