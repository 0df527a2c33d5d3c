"""A post's buttons as Telegram shows them: the groups (``bot.telegram.channel``) and the
recruiter's preview of a post (``handlers.posting``) see the same keyboard."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from jobfeed.broadcast.models import Post


def post_keyboard(post: Post) -> InlineKeyboardMarkup | None:
    if not post.buttons:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=b.text, url=b.url)] for b in post.buttons]
    )
