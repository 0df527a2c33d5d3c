"""Message text and caption checks: parse modes, emptiness and length limits."""

from __future__ import annotations

from typing import Any

from .errors import bad_request
from .html_entities import parse_html, utf16_len
from .markdown_entities import parse_markdown, parse_markdown_v2

MAX_TEXT = 4096
MAX_CAPTION = 1024


def parse_text(
    source: str, parse_mode: str | None, entities: Any = None
) -> tuple[str, list[dict[str, Any]]]:
    """What the user sees: plain text and entities, as Telegram renders `source`."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return parse_html(source)
    if mode == "markdownv2":
        return parse_markdown_v2(source)
    if mode == "markdown":
        return parse_markdown(source)
    if mode:
        raise bad_request(f"unsupported parse_mode {parse_mode!r}")
    if entities is not None and not isinstance(entities, list):
        raise bad_request("can't parse entities JSON object")
    return source, list(entities or [])


def message_text(
    source: str, parse_mode: str | None, entities: Any = None
) -> tuple[str, list[dict[str, Any]]]:
    plain, parsed = parse_text(source, parse_mode, entities)
    if not plain.strip():
        raise bad_request("message text is empty")
    if utf16_len(plain) > MAX_TEXT:
        raise bad_request("message is too long")
    return plain, parsed


def caption_text(
    source: str, parse_mode: str | None, entities: Any = None
) -> tuple[str, list[dict[str, Any]]]:
    plain, parsed = parse_text(source, parse_mode, entities)
    if utf16_len(plain) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return plain, parsed
