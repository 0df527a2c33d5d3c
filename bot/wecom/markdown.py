"""A broadcast ``Post`` as WeCom texts: group-robot Markdown (4,096 bytes of UTF-8) and the
plain text of a customer-group mass send, each with a link to the vacancy's job page.

The texts are macros of ``templates/wecom/robot.j2``. Outside text cannot add markup: the
characters WeCom's Markdown reads (``< > [ ] * ` #``) become their full-width forms.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from jobfeed.broadcast.models import Post, PostItem
from jobfeed.texts import CHINA, TEMPLATES_DIR

MARKDOWN_BYTES = 4096  # WeCom: markdown.content at most 4,096 bytes, UTF-8
TEXT_BYTES = 4000  # add_msg_template: text.content at most 4,000 bytes
_MARKUP = str.maketrans(
    {"<": "＜", ">": "＞", "[": "［", "]": "］", "*": "＊", "`": "｀", "#": "＃"}
)
_TAG = re.compile(r"<[^>]+>")


def md(value: object) -> str:
    return str(value).translate(_MARKUP)


class WeComTexts:
    def __init__(
        self,
        public_base_url: str | None,
        *,
        hr_licence: str | None = None,
        root: Path = TEMPLATES_DIR,
    ) -> None:
        self._base = public_base_url.rstrip("/") if public_base_url else None
        env = Environment(
            loader=FileSystemLoader(root / "wecom"),
            autoescape=False,  # Markdown, not HTML: the "md" filter escapes outside text
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters["md"] = md
        env.filters["day"] = lambda moment: moment.astimezone(CHINA).strftime("%Y-%m-%d")
        env.globals["hr_licence"] = hr_licence or ""
        env.globals["link"] = self.job_link
        self._module: Any = env.get_template("robot.j2").module  # its macros

    def job_link(self, item: PostItem) -> str:
        """The vacancy's job page (``PUBLIC_BASE_URL/jobs/ID``), or "" without a base URL."""
        return f"{self._base}/jobs/{item.vacancy_id}" if self._base else ""

    def markdown(self, post: Post) -> str:
        """The robot's Markdown; ValueError when even without descriptions it is too long."""
        if post.rendered is not None:  # stored before posts were channel-neutral
            return _fit(md(_TAG.sub("", post.rendered.text)), MARKDOWN_BYTES)
        for description in (True, False):
            text = str(self._module.post(post.items, description)).strip()
            if len(text.encode("utf-8")) <= MARKDOWN_BYTES:
                return text
        raise ValueError(f"the post is over WeCom's {MARKDOWN_BYTES} bytes of Markdown")

    def plain(self, post: Post) -> str:
        """The text of a customer-group mass send (no Markdown there)."""
        if post.rendered is not None:
            return _fit(_TAG.sub("", post.rendered.text), TEXT_BYTES)
        text = str(self._module.customer_post(post.items)).strip()
        if len(text.encode("utf-8")) > TEXT_BYTES:
            raise ValueError(f"the post is over WeCom's {TEXT_BYTES} bytes of text")
        return text


def _fit(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    return text if len(data) <= limit else data[: limit - 3].decode("utf-8", "ignore") + "…"
