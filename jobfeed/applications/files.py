"""Résumé files: what we accept, judged on the client's claim and then on the bytes.

The file name and MIME type come from the sender's client and prove nothing, so a file
passes three checks: the extension, the MIME type (both must name the same kind) and,
once downloaded, the leading bytes (and for DOCX the zip's Word parts).
"""

from __future__ import annotations

import io
import zipfile

from jobfeed.applications.models import FileKind
from jobfeed.applications.validation import InvalidAnswer

MAX_FILE_BYTES = 10 * 1024 * 1024

_BY_EXTENSION = {
    "pdf": FileKind.pdf,
    "doc": FileKind.doc,
    "docx": FileKind.docx,
    "jpg": FileKind.jpeg,
    "jpeg": FileKind.jpeg,
    "png": FileKind.png,
}
_BY_MIME = {
    "application/pdf": FileKind.pdf,
    "application/msword": FileKind.doc,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": FileKind.docx,
    "image/jpeg": FileKind.jpeg,
    "image/jpg": FileKind.jpeg,
    "image/png": FileKind.png,
}
_MAGIC = {
    FileKind.pdf: b"%PDF-",
    FileKind.doc: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # OLE2 compound file
    FileKind.docx: b"PK\x03\x04",
    FileKind.jpeg: b"\xff\xd8\xff",
    FileKind.png: b"\x89PNG\r\n\x1a\n",
}


def check_size(size: int | None) -> None:
    if size is None or size <= 0:
        raise InvalidAnswer("file_empty")
    if size > MAX_FILE_BYTES:
        raise InvalidAnswer("file_too_big")


def check_document(file_name: str | None, mime_type: str | None, size: int | None) -> FileKind:
    """The kind a sent document claims to be, if its name and MIME type agree on one."""
    name = (file_name or "").strip().lower()
    extension = name.rsplit(".", 1)[1] if "." in name else ""
    by_name = _BY_EXTENSION.get(extension)
    by_mime = _BY_MIME.get((mime_type or "").split(";")[0].strip().lower())
    if by_name is None or by_mime is None:
        raise InvalidAnswer("file_type")
    if by_name is not by_mime:
        raise InvalidAnswer("file_mismatch")
    check_size(size)
    return by_name


def check_content(kind: FileKind, data: bytes) -> None:
    """The downloaded bytes really are a file of ``kind``."""
    check_size(len(data))
    if not data.startswith(_MAGIC[kind]):
        raise InvalidAnswer("file_content")
    if kind is FileKind.docx and not _is_word_zip(data):
        raise InvalidAnswer("file_content")


def _is_word_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names
