"""Résumé files: the client's claim (name, MIME, size) and then the bytes."""

from __future__ import annotations

import io
import zipfile

import pytest

from jobfeed.applications.files import MAX_FILE_BYTES, check_content, check_document
from jobfeed.applications.models import FileKind
from jobfeed.applications.validation import InvalidAnswer

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "mime", "kind"),
    [
        ("简历.pdf", "application/pdf", FileKind.pdf),
        ("CV.PDF", "application/pdf", FileKind.pdf),
        ("cv.doc", "application/msword", FileKind.doc),
        ("cv.docx", DOCX_MIME, FileKind.docx),
        ("photo.jpg", "image/jpeg", FileKind.jpeg),
        ("photo.jpeg", "image/jpeg", FileKind.jpeg),
        ("scan.png", "image/png", FileKind.png),
    ],
)
def test_accepted_claims(name: str, mime: str, kind: FileKind) -> None:
    assert check_document(name, mime, 1000) is kind


@pytest.mark.parametrize(
    ("name", "mime", "size", "reason"),
    [
        ("cv.exe", "application/x-msdownload", 1000, "file_type"),
        ("cv", "application/pdf", 1000, "file_type"),
        ("cv.pdf", None, 1000, "file_type"),
        ("cv.pdf.exe", "application/pdf", 1000, "file_type"),
        ("cv.pdf", "image/png", 1000, "file_mismatch"),
        ("cv.docx", "application/msword", 1000, "file_mismatch"),
        ("cv.pdf", "application/pdf", MAX_FILE_BYTES + 1, "file_too_big"),
        ("cv.pdf", "application/pdf", 0, "file_empty"),
        ("cv.pdf", "application/pdf", None, "file_empty"),
    ],
)
def test_refused_claims(name: str, mime: str | None, size: int | None, reason: str) -> None:
    with pytest.raises(InvalidAnswer) as caught:
        check_document(name, mime, size)
    assert caught.value.reason == reason


def test_exactly_ten_megabytes_is_fine() -> None:
    assert check_document("cv.pdf", "application/pdf", MAX_FILE_BYTES) is FileKind.pdf


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (FileKind.pdf, b"%PDF-1.7\n..."),
        (FileKind.doc, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
        (FileKind.docx, _zip("[Content_Types].xml", "word/document.xml")),
        (FileKind.jpeg, b"\xff\xd8\xff\xe0\x00\x10JFIF"),
        (FileKind.png, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
    ],
)
def test_real_bytes_pass(kind: FileKind, data: bytes) -> None:
    check_content(kind, data)


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (FileKind.pdf, b"MZ\x90\x00 a Windows program"),
        (FileKind.pdf, b"<html>%PDF-</html>"),
        (FileKind.png, b"\xff\xd8\xff\xe0 a JPEG named PNG"),
        (FileKind.docx, _zip("evil.js")),
        (FileKind.docx, b"PK\x03\x04 not really a zip"),
        (FileKind.jpeg, b""),
    ],
)
def test_disguised_bytes_fail(kind: FileKind, data: bytes) -> None:
    with pytest.raises(InvalidAnswer):
        check_content(kind, data)
