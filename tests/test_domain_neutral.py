"""The domain names no Telegram notion: no ``t.me`` links, no bot username, no Telegram
HTML, no ``file_id``, no ``"tg:"`` actors, no ``parse_mode``, no aiogram.

Every line of ``jobfeed/`` is read (code, strings, docstrings and comments). The one
exception is ``jobfeed/legacy.py``, which reads records written before the domain named
its channels and so must spell their old field names (``file_id``, ``"tg:"``); nothing
else is allowed there either.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = ROOT / "jobfeed"

FORBIDDEN = {
    "a t.me link": re.compile(r"\bt\.me\b"),
    "the bot's username": re.compile(r"bot_username", re.IGNORECASE),
    "a Telegram file_id": re.compile(r"file_(unique_)?id"),
    'a "tg:" actor': re.compile(r"\btg:"),
    "Telegram's parse_mode": re.compile(r"parse_mode", re.IGNORECASE),
    "aiogram": re.compile(r"aiogram", re.IGNORECASE),
    "a Telegram HTML tag": re.compile(
        r"</?(b|i|u|s|a|em|strong|ins|del|strike|code|pre|tg-spoiler|tg-emoji|blockquote|span)"
        r"(\s[^>]*)?>",
        re.IGNORECASE,
    ),
}
# Reading old records needs their old names, and only those.
LEGACY = {DOMAIN / "legacy.py": {"a Telegram file_id", 'a "tg:" actor'}}


def offences(text: str, allowed: Collection[str] = ()) -> list[str]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for what, pattern in FORBIDDEN.items():
            if what not in allowed and pattern.search(line):
                found.append(f"{number}: {what}: {line.strip()}")
    return found


def test_the_domain_names_no_telegram_notion() -> None:
    found = []
    for path in sorted(DOMAIN.rglob("*.py")):
        allowed = LEGACY.get(path, set())
        for offence in offences(path.read_text(encoding="utf-8"), allowed):
            found.append(f"{path.relative_to(ROOT)}:{offence}")
    assert found == []


def test_the_domain_keeps_no_telegram_templates_or_scripts() -> None:
    """Lua scripts and any other text the domain ships are held to the same rule."""
    found = [
        f"{path.relative_to(ROOT)}:{offence}"
        for path in sorted(DOMAIN.rglob("*"))
        if path.is_file() and path.suffix not in (".py", ".pyc")
        for offence in offences(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert found == []


@pytest.mark.parametrize(
    "line",
    [
        'url = f"https://t.me/{name}?start=apply_1"',
        "def render(bot_username: str) -> str: ...",
        "file_id: str = Field(min_length=1)",
        'actor = f"tg:{user_id}"',
        'await bot.send_message(chat, text, parse_mode="HTML")',
        "from aiogram import Bot",
        'text = "<b>招聘</b>"',
        "link = '<a href=\"https://example.com\">报名</a>'",
    ],
)
def test_the_check_sees_a_violation(line: str) -> None:
    assert offences(line)


def test_the_check_lets_neutral_text_through() -> None:
    assert offences("ref: str  # the channel's handle of the file\nif a < b > c: pass") == []
    assert offences('"tg:1"', {'a "tg:" actor'}) == []
