"""Logging setup: text or JSON lines, an access log without query strings, and secrets
scrubbed from every record as a last line of defence (whatever the format). The access
log's lines are made by ``bot/accesslog.py`` (imported by what serves HTTP only)."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any, Literal, TextIO

from jobfeed.observe import log_context

# Chinese mobile numbers: keep the first 3 and last 4 digits.
_PHONE = re.compile(r"(?<!\d)(\+?86[- ]?)?(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# What an access log record carries besides its message (JSON lines show them as fields;
# bot/accesslog.py sets them).
ACCESS_FIELDS = ("method", "path", "status", "bytes", "seconds", "remote")

LogFormat = Literal["text", "json"]


def mask_phone(text: str) -> str:
    return _PHONE.sub(lambda m: f"{m.group(1) or ''}{m.group(2)}****{m.group(4)}", text)


class Redact(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.scrub(record.getMessage()), ()
        if record.exc_info and record.exc_info[1] is not None:
            # Tracebacks quote texts (a user's phone) and URLs (the bot token).
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text, record.exc_info = self.scrub(text), None
        path = getattr(record, "path", None)
        if isinstance(path, str):
            record.path = self.scrub(path)
        return True

    def scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        return mask_phone(text)


class JsonLines(logging.Formatter):
    """One JSON object per record: time, level, logger, message, and the ids of the
    update, chat and broadcast being handled where known (``jobfeed.observe``)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **log_context(),
        }
        for field in ACCESS_FIELDS:
            if field in record.__dict__:
                entry[field] = record.__dict__[field]
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:  # set by ``Redact``, already scrubbed
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


def handler(
    secrets: list[str], log_format: LogFormat = "text", stream: TextIO | None = None
) -> logging.Handler:
    """The one handler of the process: to stderr, scrubbed, in ``log_format``."""
    out = logging.StreamHandler(stream or sys.stderr)
    out.setFormatter(JsonLines() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    out.addFilter(Redact(secrets))
    return out


def configure(
    level: str, secrets: list[str], log_format: LogFormat = "text", stream: TextIO | None = None
) -> None:
    root = logging.getLogger()
    root.handlers[:] = [handler(secrets, log_format, stream)]
    root.setLevel(level)
    # aiogram says "Update id=... is handled" for every update at INFO: only when
    # debugging (the access log already has one line per webhook request).
    quiet = logging.DEBUG if level == "DEBUG" else logging.WARNING
    logging.getLogger("aiogram.event").setLevel(quiet)
    logging.getLogger("aiohttp.access").setLevel(logging.NOTSET)  # follows the root
