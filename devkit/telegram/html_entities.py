"""Telegram's HTML parse mode: turns marked-up text into plain text plus entities.

Follows TDLib's parser (td/telegram/MessageEntity.cpp, parse_html) for the tags and
attributes it accepts and for the wording of its errors, with one deliberate difference:
a bare `&` that does not start `&lt;`, `&gt;`, `&amp;`, `&quot;` or a numeric reference is
rejected, where Telegram would keep it literally. Text that reaches HTML mode unescaped
is a bug that breaks as soon as it contains `<`, so the simulator reports it early.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import ApiError, bad_request

NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
}
OTHER_TAGS = {"a", "code", "pre", "span", "blockquote", "tg-emoji"}


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's offsets and limits."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(slots=True)
class _Open:
    tag: str
    attrs: dict[str, str]
    offset: int
    out_index: int
    code_language: str | None = None


class _HtmlParser:
    def __init__(self, source: str) -> None:
        self.src = source
        self.pos = 0
        self.out: list[str] = []
        self.utf16 = 0
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def error(self, reason: str) -> ApiError:
        return bad_request(f"can't parse entities: {reason}")

    def byte_offset(self, index: int) -> int:
        return len(self.src[:index].encode())

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.utf16 += utf16_len(text) if not text.isascii() else len(text)

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        src, size = self.src, len(self.src)
        while self.pos < size:
            nxt = _next_special(src, self.pos)
            if nxt > self.pos:
                self.emit(src[self.pos : nxt])
                self.pos = nxt
                continue
            if src[self.pos] == "&":
                self.emit(self.entity(self.pos))
            elif src.startswith("</", self.pos):
                self.close_tag()
            else:
                self.open_tag()
        if self.stack:
            raise self.error(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"'
            )
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def entity(self, start: int) -> str:
        """Decode `&...;` at `start` and move past it."""
        end = self.src.find(";", start + 1, start + 12)
        name = self.src[start + 1 : end] if end != -1 else ""
        decoded: str | None = NAMED_ENTITIES.get(name)
        if decoded is None and name.startswith("#"):
            digits = name[1:]
            try:
                code = int(digits[1:], 16) if digits[:1] in ("x", "X") else int(digits)
                decoded = chr(code) if 0 < code < 0x110000 else None
            except ValueError:
                decoded = None
        if decoded is None:
            raise self.error(
                f'Unsupported HTML entity "&" at byte offset {self.byte_offset(start)}; '
                "escape it as &amp;"
            )
        self.pos = end + 1
        return decoded

    def name_token(self) -> str:
        start = self.pos
        while self.pos < len(self.src) and (
            self.src[self.pos].isalnum() or self.src[self.pos] in "-_"
        ):
            self.pos += 1
        return self.src[start : self.pos].lower()

    def skip_spaces(self) -> None:
        while self.pos < len(self.src) and self.src[self.pos].isspace():
            self.pos += 1

    def open_tag(self) -> None:
        begin = self.pos
        self.pos += 1
        tag = self.name_token()
        if tag not in SIMPLE_TAGS and tag not in OTHER_TAGS:
            raise self.error(
                f'Unsupported start tag "{tag}" at byte offset {self.byte_offset(begin)}'
            )
        attrs: dict[str, str] = {}
        while True:
            self.skip_spaces()
            if self.pos >= len(self.src):
                raise self.error(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
            if self.src[self.pos] == ">":
                self.pos += 1
                break
            attr = self.name_token()
            if not attr:
                raise self.error(
                    f'Empty attribute name in the tag "{tag}" at byte offset '
                    f"{self.byte_offset(begin)}"
                )
            self.skip_spaces()
            value = ""
            if self.pos < len(self.src) and self.src[self.pos] == "=":
                self.pos += 1
                self.skip_spaces()
                value = self.attribute_value(tag, begin)
            attrs[attr] = value
        self.check_attrs(tag, attrs, begin)
        self.stack.append(_Open(tag, attrs, self.utf16, len(self.out)))

    def attribute_value(self, tag: str, begin: int) -> str:
        if self.pos >= len(self.src):
            raise self.error(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        quote = self.src[self.pos]
        parts: list[str] = []
        if quote in "\"'":
            self.pos += 1
            while self.pos < len(self.src) and self.src[self.pos] != quote:
                if self.src[self.pos] == "&":
                    parts.append(self.entity(self.pos))
                else:
                    parts.append(self.src[self.pos])
                    self.pos += 1
            if self.pos >= len(self.src):
                raise self.error(
                    f'Unclosed start tag "{tag}" at byte offset {self.byte_offset(begin)}'
                )
            self.pos += 1
            return "".join(parts)
        start = self.pos
        while self.pos < len(self.src) and not self.src[self.pos].isspace():
            if self.src[self.pos] == ">":
                break
            self.pos += 1
        return self.src[start : self.pos]

    def check_attrs(self, tag: str, attrs: dict[str, str], begin: int) -> None:
        where = f"at byte offset {self.byte_offset(begin)}"
        if tag == "span" and attrs.get("class") != "tg-spoiler":
            raise self.error(f'Tag "span" must have class "tg-spoiler" {where}')
        if tag == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
            raise self.error(f"Custom emoji entity must have a valid emoji-id {where}")

    def close_tag(self) -> None:
        begin = self.pos
        self.pos += 2
        tag = self.name_token()
        self.skip_spaces()
        if self.pos >= len(self.src) or self.src[self.pos] != ">":
            raise self.error(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        self.pos += 1
        if not self.stack:
            raise self.error(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        top = self.stack[-1]
        if top.tag != tag:
            raise self.error(
                f"Unmatched end tag at byte offset {self.byte_offset(begin)}, "
                f'expected "</{top.tag}>", found "</{tag}>"'
            )
        self.stack.pop()
        self.finish(top)

    def finish(self, node: _Open) -> None:
        length = self.utf16 - node.offset
        if length == 0:
            return
        entity: dict[str, Any] = {"offset": node.offset, "length": length}
        tag = node.tag
        if tag in SIMPLE_TAGS:
            entity["type"] = SIMPLE_TAGS[tag]
        elif tag == "span":
            entity["type"] = "spoiler"
        elif tag == "a":
            href = node.attrs.get("href") or "".join(self.out[node.out_index :])
            user_id = href.removeprefix("tg://user?id=")
            if user_id != href and user_id.isdigit():
                user = {"id": int(user_id), "is_bot": False, "first_name": ""}
                entity.update(type="text_mention", user=user)
            else:
                entity.update(type="text_link", url=href)
        elif tag == "code":
            language = node.attrs.get("class", "")
            parent = self.stack[-1] if self.stack else None
            if parent is not None and parent.tag == "pre" and language.startswith("language-"):
                parent.code_language = language.removeprefix("language-")
                return
            entity["type"] = "code"
        elif tag == "pre":
            entity["type"] = "pre"
            if node.code_language:
                entity["language"] = node.code_language
        elif tag == "blockquote":
            expandable = "expandable" in node.attrs
            entity["type"] = "expandable_blockquote" if expandable else "blockquote"
        else:
            entity.update(type="custom_emoji", custom_emoji_id=node.attrs["emoji-id"])
        self.entities.append(entity)


def _next_special(text: str, start: int) -> int:
    """Index of the next `<` or `&` at or after `start` (or the end of the text)."""
    lt = text.find("<", start)
    amp = text.find("&", start)
    candidates = [i for i in (lt, amp) if i != -1]
    return min(candidates) if candidates else len(text)


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities (offsets in UTF-16 units) for an HTML-mode text.

    Raises `ApiError` 400 "can't parse entities: ..." like Telegram.
    """
    return _HtmlParser(source).run()
