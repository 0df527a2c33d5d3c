"""Text from bytes: UTF-8 (with or without BOM), else GB18030 (Excel and WPS on Chinese
Windows) or Big5 (Taiwan, Hong Kong), decided on the first megabyte; a file in none of
them is a ``SourceError``.

Big5 bytes usually decode as GB18030 too, into nonsense: where both decode, the caller
says which reading makes sense (``choose``; for a CSV, the one whose header names a
title column)."""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from jobfeed.sources.records import SourceError

_SNIFF = 1 << 20


_LEGACY = ("gb18030", "big5")
Chooser = Callable[[str], bool]


def _decodes(head: bytes, encoding: str) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(head: bytes, choose: Chooser | None = None) -> str:
    """UTF-8 if it decodes; else the first of GB18030 and Big5 that decodes and that
    ``choose`` accepts (given the decoded head), else the first that decodes."""
    if _decodes(head, "utf-8"):
        return "utf-8-sig"
    possible = [encoding for encoding in _LEGACY if _decodes(head, encoding)]
    if not possible:
        raise SourceError("the text is neither UTF-8 nor GB18030 nor Big5")
    if choose is not None:
        for encoding in possible:
            if choose(head.decode(encoding, errors="ignore")):
                return encoding
    return possible[0]


def decode(data: bytes, choose: Chooser | None = None) -> str:
    encoding = detect_encoding(data[:_SNIFF], choose)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise SourceError(f"undecodable bytes at offset {exc.start} ({encoding})") from None


def read_lines(path: Path, choose: Chooser | None = None) -> Iterator[str]:
    """The file's lines, decoded; a decoding error names the byte offset."""
    with path.open("rb") as raw:
        encoding = detect_encoding(raw.read(_SNIFF), choose)
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
