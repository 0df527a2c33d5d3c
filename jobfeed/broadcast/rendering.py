"""The post of a broadcast: one vacancy, or a digest of several, with apply buttons."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from jobfeed.broadcast.models import Button, Post
from jobfeed.models import Vacancy
from jobfeed.texts import Texts

MAX_TEXT = 4096  # Telegram's limit on a message's text, after parsing the HTML
MAX_DIGEST = 10
APPLY_PREFIX = "apply_"  # the /start payload the résumé flow handles: apply_<vacancy id>
_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_TAG = re.compile(r"<[^>]+>")


class PostTooLong(ValueError):
    pass


def apply_link(bot_username: str, vacancy_id: str) -> str:
    """``https://t.me/<bot>?start=apply_<id>``: opens a private chat that starts applying."""
    if not _USERNAME.match(bot_username):
        raise ValueError(f"not a bot username: {bot_username!r}")
    payload = APPLY_PREFIX + vacancy_id
    if not _PAYLOAD.match(payload):  # Telegram: 1-64 of A-Z a-z 0-9 _ -
        raise ValueError(f"vacancy id {vacancy_id!r} does not fit a /start payload")
    return f"https://t.me/{bot_username}?start={payload}"


def visible_length(text_html: str) -> int:
    return len(html.unescape(_TAG.sub("", text_html)))


def render_post(texts: Texts, vacancies: Sequence[Vacancy], bot_username: str) -> Post:
    if not 1 <= len(vacancies) <= MAX_DIGEST:
        raise ValueError(f"a post carries 1 to {MAX_DIGEST} vacancies, not {len(vacancies)}")
    text = texts.render("broadcast.post", vacancies=list(vacancies))
    length = visible_length(text)
    if length > MAX_TEXT:
        raise PostTooLong(f"the post is {length} characters; Telegram allows {MAX_TEXT}")
    digest = len(vacancies) > 1
    buttons = [
        Button(
            # Button labels are plain text, not HTML: undo the template's escaping.
            text=html.unescape(texts.render("broadcast.apply_button", v=v, digest=digest)),
            url=apply_link(bot_username, v.id),
        )
        for v in vacancies
        if v.is_open()  # a closed vacancy's post (after an edit) takes no applications
    ]
    return Post(html=text, buttons=buttons)
