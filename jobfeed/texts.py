"""User-facing texts, kept as Jinja2 macros under ``templates/``.

Each file holds the texts of one feature as macros; ``render("groups.registered", ...)``
calls macro ``registered`` of ``templates/bot/groups.j2``. Autoescaping is on, so every
value passed in is HTML-escaped for Telegram's HTML parse mode.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
CHINA = timezone(timedelta(hours=8), "CST")  # dates in posts, e.g. a validity period


def _day(moment: datetime) -> str:
    return moment.astimezone(CHINA).strftime("%Y-%m-%d")


class Texts:
    def __init__(self, root: Path = TEMPLATES_DIR, *, hr_licence: str | None = None) -> None:
        self._env = Environment(
            loader=FileSystemLoader(root / "bot"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        # Shown on every post (setting ``HR_LICENCE``: 人力资源服务许可证 number).
        self._env.globals["hr_licence"] = hr_licence or ""
        self._env.filters["day"] = _day

    def load(self, feature: str) -> None:
        """Compile ``feature``'s texts now (a first render compiles them: ~0.1 s), e.g.
        before sends whose timing matters."""
        self._env.get_template(f"{feature}.j2")

    def render(self, name: str, /, **values: Any) -> str:
        feature, _, macro = name.partition(".")
        module = self._env.get_template(f"{feature}.j2").module
        return str(getattr(module, macro)(**values)).strip()
