"""A broadcast's post as Telegram shows it: Telegram HTML within Telegram's 4,096
characters, and a keyboard of apply buttons. The groups (``bot.telegram.channel``), the
recruiter's preview (``handlers.posting``) and the admins' review (``bot.telegram.notifier``)
see the same rendering of the channel-neutral ``jobfeed.broadcast.models.Post``."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from jobfeed.broadcast.models import Button, Post
from jobfeed.links import Links
from jobfeed.texts import Texts

CHANNEL = "telegram"
MAX_TEXT = 4096  # Telegram's limit on a message's text, after parsing the HTML
_TAG = re.compile(r"<[^>]+>")


class PostTooLong(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class TelegramPost:
    html: str
    buttons: list[Button] = field(default_factory=list)


def visible_length(text_html: str) -> int:
    return len(html.unescape(_TAG.sub("", text_html)))


def post_text(texts: Texts, post: Post) -> str:
    """The post's Telegram HTML; ``PostTooLong`` when Telegram would refuse it."""
    if post.rendered is not None:
        return post.rendered.text  # stored as Telegram HTML before posts were structured
    text = texts.render("broadcast.post", vacancies=post.items)
    length = visible_length(text)
    if length > MAX_TEXT:
        raise PostTooLong(f"the post is {length} characters; Telegram allows {MAX_TEXT}")
    return text


async def render_post(texts: Texts, post: Post, links: Links) -> TelegramPost:
    """The text and the apply buttons: one per vacancy still open (a closed vacancy's post,
    after an edit, takes no applications)."""
    text = post_text(texts, post)
    if post.rendered is not None:
        return TelegramPost(text, list(post.rendered.buttons))
    buttons = [
        Button(
            # Button labels are plain text, not HTML: undo the template's escaping.
            text=html.unescape(texts.render("broadcast.apply_button", v=v, digest=post.digest)),
            url=await links.apply_link(v.vacancy_id),
        )
        for v in post.items
        if v.open
    ]
    return TelegramPost(text, buttons)


class PostCheck:
    """``jobfeed.broadcast.sender.PostCheck`` for Telegram: the text fits one message."""

    def __init__(self, texts: Texts) -> None:
        self._texts = texts

    def check(self, post: Post) -> None:
        post_text(self._texts, post)


def post_keyboard(post: TelegramPost) -> InlineKeyboardMarkup | None:
    if not post.buttons:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=b.text, url=b.url)] for b in post.buttons]
    )
