"""Telegram's MarkdownV2 and legacy Markdown parse modes, after TDLib's parsers.

MarkdownV2 is the strict one: every reserved character outside an entity marker must be
escaped with a backslash, or the request fails with "Character 'X' is reserved ...".
Block quotes are supported for lines starting with `>`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import ApiError, bad_request
from .html_entities import utf16_len

RESERVED = "_*[]()~`>#+-=|{}.!"
TYPE_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}

CLOSERS = {
    "bold": "*",
    "strikethrough": "~",
    "code": "`",
    "text_link": "]",
    "custom_emoji": "]",
}


@dataclass(slots=True)
class _Open:
    type: str
    offset: int
    byte_offset: int
    out_index: int
    language: str = ""


def _error(reason: str) -> ApiError:
    return bad_request(f"can't parse entities: {reason}")


class _V2Parser:
    def __init__(self, source: str) -> None:
        self.src = source
        self.i = 0
        self.out: list[str] = []
        self.utf16 = 0
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []
        self.quote_start: int | None = None

    def at(self, index: int) -> str:
        return self.src[index] if index < len(self.src) else ""

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.utf16 += utf16_len(text)

    def byte_offset(self, index: int) -> int:
        return len(self.src[:index].encode())

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        while self.i < len(self.src):
            self.step()
            self.i += 1
        self.end_quote()
        if self.stack:
            top = self.stack[-1]
            raise _error(
                f"Can't find end of {TYPE_NAMES[top.type]} entity at byte offset {top.byte_offset}"
            )
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def step(self) -> None:
        c = self.src[self.i]
        line_start = self.i == 0 or self.src[self.i - 1] == "\n"
        if line_start and not self.stack:
            if c == ">":
                if self.quote_start is None:
                    self.quote_start = self.utf16
                return
            self.end_quote()
        nxt = self.at(self.i + 1)
        if c == "\\" and nxt and ord(nxt) <= 126:
            self.i += 1
            self.emit(nxt)
            return
        in_code = bool(self.stack) and self.stack[-1].type in ("code", "pre")
        if c not in ("`" if in_code else RESERVED):
            self.emit(c)
            return
        if self.stack and self.closes(self.stack[-1].type, c, nxt):
            self.close()
        else:
            self.open(c, nxt)

    def closes(self, kind: str, c: str, nxt: str) -> bool:
        if kind == "pre":
            return self.src.startswith("```", self.i)
        if kind in ("italic", "underline"):
            return c == "_" and (nxt == "_") == (kind == "underline")
        if kind == "spoiler":
            return c == "|" and nxt == "|"
        return c == CLOSERS[kind]

    def open(self, c: str, nxt: str) -> None:
        begin = self.i
        language = ""
        if c == "_" and nxt == "_":
            self.i += 1
            kind = "underline"
        elif c == "|" and nxt == "|":
            self.i += 1
            kind = "spoiler"
        elif c == "!" and nxt == "[":
            self.i += 1
            kind = "custom_emoji"
        elif c == "`" and self.src.startswith("```", self.i):
            self.i += 3
            end = self.src.find("\n", self.i)
            if end != -1 and not any(ch.isspace() for ch in self.src[self.i : end]):
                language = self.src[self.i : end]
                self.i = end
            else:
                self.i -= 1
            kind = "pre"
        else:
            simple = {"_": "italic", "*": "bold", "~": "strikethrough", "`": "code"}
            if c == "[":
                kind = "text_link"
            elif c in simple:
                kind = simple[c]
            else:
                raise _error(
                    f"Character '{c}' is reserved and must be escaped with the preceding '\\'"
                )
        self.stack.append(
            _Open(kind, self.utf16, self.byte_offset(begin), len(self.out), language)
        )

    def close(self) -> None:
        node = self.stack.pop()
        entity: dict[str, Any] = {"type": node.type, "offset": node.offset}
        if node.type in ("underline", "spoiler"):
            self.i += 1
        elif node.type == "pre":
            self.i += 2
            if node.language:
                entity["language"] = node.language
        elif node.type in ("text_link", "custom_emoji"):
            url = self.url(node)
            if node.type == "custom_emoji":
                emoji_id = url.removeprefix("tg://emoji?id=")
                if emoji_id == url or not emoji_id.isdigit():
                    raise _error("Custom emoji entity must contain a tg://emoji URL")
                entity["custom_emoji_id"] = emoji_id
            else:
                entity["url"] = url
        entity["length"] = self.utf16 - node.offset
        if entity["length"]:
            self.entities.append(entity)

    def url(self, node: _Open) -> str:
        if self.at(self.i + 1) != "(":
            return "".join(self.out[node.out_index :])
        self.i += 2
        begin = self.i
        chars: list[str] = []
        while self.i < len(self.src) and self.src[self.i] != ")":
            if self.src[self.i] == "\\" and self.at(self.i + 1):
                chars.append(self.src[self.i + 1])
                self.i += 2
                continue
            chars.append(self.src[self.i])
            self.i += 1
        if self.i >= len(self.src):
            raise _error(f"Can't find end of a URL at byte offset {self.byte_offset(begin)}")
        return "".join(chars)

    def end_quote(self) -> None:
        if self.quote_start is None:
            return
        length = self.utf16 - self.quote_start
        # the newline that ends the quoted lines belongs to the text after it
        if self.out and self.out[-1] == "\n" and length:
            length -= 1
        if length > 0:
            self.entities.append(
                {"type": "blockquote", "offset": self.quote_start, "length": length}
            )
        self.quote_start = None


def parse_markdown_v2(source: str) -> tuple[str, list[dict[str, Any]]]:
    return _V2Parser(source).run()


def parse_markdown(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url); no nesting."""
    out: list[str] = []
    utf16 = 0
    entities: list[dict[str, Any]] = []
    i = 0
    markers = {"*": "bold", "_": "italic", "`": "code"}
    while i < len(source):
        c = source[i]
        if c == "\\" and i + 1 < len(source) and source[i + 1] in "_*`[":
            out.append(source[i + 1])
            utf16 += 1
            i += 2
            continue
        if c not in "_*`[":
            out.append(c)
            utf16 += utf16_len(c)
            i += 1
            continue
        begin = i
        if source.startswith("```", i):
            end = source.find("```", i + 3)
            kind, inner, i = "pre", source[i + 3 : end], end + 3
        elif c == "[":
            end = source.find("]", i + 1)
            if end != -1 and source.startswith("(", end + 1):
                close = source.find(")", end + 2)
                kind, inner = "text_link", source[i + 1 : end]
                url, i = source[end + 2 : close], close + 1
                end = close
            else:
                out.append(c)
                utf16 += 1
                i += 1
                continue
        else:
            end = source.find(c, i + 1)
            kind, inner, i = markers[c], source[i + 1 : end], end + 1
        if end == -1:
            raise _error(
                "Can't find end of the entity starting at byte offset "
                f"{len(source[:begin].encode())}"
            )
        entity: dict[str, Any] = {"type": kind, "offset": utf16, "length": utf16_len(inner)}
        if kind == "text_link":
            entity["url"] = url
        if entity["length"]:
            entities.append(entity)
        out.append(inner)
        utf16 += entity["length"]
    return "".join(out), entities
