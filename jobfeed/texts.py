"""User-facing texts, kept as Jinja2 macros under ``templates/``.

Each file holds the texts of one feature as macros; ``render("groups.registered", ...)``
calls macro ``registered`` of ``templates/bot/groups.j2``. Autoescaping is on, so every
value passed in is HTML-escaped for Telegram's HTML parse mode.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


class Texts:
    def __init__(self, root: Path = TEMPLATES_DIR) -> None:
        self._env = Environment(
            loader=FileSystemLoader(root / "bot"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )

    def load(self, feature: str) -> None:
        """Compile ``feature``'s texts now (a first render compiles them: ~0.1 s), e.g.
        before sends whose timing matters."""
        self._env.get_template(f"{feature}.j2")

    def render(self, name: str, /, **values: Any) -> str:
        feature, _, macro = name.partition(".")
        module = self._env.get_template(f"{feature}.j2").module
        return str(getattr(module, macro)(**values)).strip()
