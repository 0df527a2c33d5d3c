"""reply_markup validation with Telegram's error texts."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from .errors import bad_request

MAX_CALLBACK_DATA = 64
MAX_BUTTONS = 100
INLINE_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)
URL_SCHEMES = frozenset({"http", "https", "tg", "ton"})


def check_reply_markup(markup: Any) -> dict[str, Any] | None:
    """The markup as a dict, or `ApiError` 400 where Telegram would refuse it."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _check_inline(markup["inline_keyboard"])
    elif "keyboard" in markup:
        _check_reply_keyboard(markup["keyboard"])
    elif not markup.get("remove_keyboard") and not markup.get("force_reply"):
        raise bad_request("object expected as reply markup")
    return markup


def _rows(rows: Any) -> list[list[Any]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if sum(len(row) for row in rows) > MAX_BUTTONS:
        raise bad_request("reply markup is too long")
    return rows


def _check_inline(rows: Any) -> None:
    for row in _rows(rows):
        for button in row:
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise bad_request(
                    'can\'t parse inline keyboard button: Field "text" must be of type String'
                )
            actions = INLINE_ACTIONS.intersection(button)
            if not actions:
                raise bad_request(
                    "can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard"
                )
            if "callback_data" in button:
                data = button["callback_data"]
                if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                    raise bad_request("BUTTON_DATA_INVALID")
            if "url" in button and not _valid_url(button["url"]):
                raise bad_request("BUTTON_URL_INVALID")


def _check_reply_keyboard(rows: Any) -> None:
    for row in _rows(rows):
        for button in row:
            text = button if isinstance(button, str) else None
            if isinstance(button, dict):
                text = button.get("text")
            if not isinstance(text, str) or not text:
                raise bad_request("keyboard button text is empty")


def _valid_url(url: Any) -> bool:
    if not isinstance(url, str) or not url:
        return False
    parts = urlsplit(url if "://" in url else f"http://{url}")
    return parts.scheme.lower() in URL_SCHEMES and bool(parts.netloc or parts.path)
