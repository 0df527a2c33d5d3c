"""Dashboard pages from Jinja2 templates in ``templates/web/dashboard`` (HTML-autoescaped)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from jobfeed.texts import TEMPLATES_DIR

BASE = "/dashboard"
MAX_PAGE = 10_000  # page numbers past it are a 400


class Pages:
    def __init__(self, timezone: str) -> None:
        self._zone = ZoneInfo(timezone)
        self._env = Environment(
            loader=FileSystemLoader(TEMPLATES_DIR / "web" / "dashboard"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._env.filters["local"] = self.local
        self._env.globals["base"] = BASE

    def local(self, moment: datetime | None, fmt: str = "%m-%d %H:%M") -> str:
        return moment.astimezone(self._zone).strftime(fmt) if moment else "—"

    def render(self, name: str, **values: Any) -> str:
        return self._env.get_template(name).render(**values)

    def response(self, name: str, *, http_status: int = 200, **values: Any) -> web.Response:
        return web.Response(
            text=self.render(name, **values), status=http_status, content_type="text/html"
        )


def with_notice(path: str, notice: str) -> str:
    """``path`` with ``notice=...`` in its query (replacing an earlier one)."""
    base, _, query = path.partition("?")
    kept = [part for part in query.split("&") if part and not part.startswith("notice=")]
    return f"{base}?{'&'.join([*kept, f'notice={notice}'])}"
