"""``/feed.xml``, ``/jobs`` and ``/jobs/{id}``: active vacancies on the web, with the apply
deep link into the bot. Public (the API's bearer guard covers ``/api/`` only)."""

from __future__ import annotations

import logging
import re
import zlib
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from jinja2 import Environment

from bot.appkeys import BOT, PLACES, VACANCIES
from bot.config import Settings
from bot.params import BadInput, query_int
from bot.telegram.username import bot_username
from bot.web.templates import page_environment
from jobfeed.broadcast.rendering import apply_link
from jobfeed.models import VACANCY_ID_PATTERN, Vacancy, VacancyStatus
from jobfeed.sources.place import PlaceResolver

log = logging.getLogger(__name__)

PAGE_SIZE = 20
FEED_SIZE = 100
MAX_PAGE = 10_000
_ID = re.compile(VACANCY_ID_PATTERN)
_PUBLIC = (VacancyStatus.active, VacancyStatus.expired, VacancyStatus.closed)


class PublicSite:
    PREFIXES = ("/feed.xml", "/jobs")  # the paths install() routes, for the error pages

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._env: Environment = page_environment(hr_licence=settings.hr_licence)
        zone = ZoneInfo(settings.timezone)
        self._env.filters["day"] = lambda moment: moment.astimezone(zone).strftime("%Y-%m-%d")
        self._username = (settings.bot_username or "").lstrip("@") or None
        self._resolver: PlaceResolver | None = None

    def install(self, app: web.Application) -> None:
        """Routes ``app``'s requests here; the vacancies, places and bot are ``app``'s, made
        when it starts (``bot/resources.py``)."""
        self._app = app
        app.router.add_get("/feed.xml", self.feed, name="public_feed")
        app.router.add_get("/jobs", self.jobs, name="public_jobs")
        app.router.add_get("/jobs/{vacancy_id}", self.job, name="public_job")

    async def feed(self, request: web.Request) -> web.StreamResponse:
        city = self._city(request)
        version = await self._app[VACANCIES].version()
        etag = f'W/"{version}-{zlib.crc32((city or "").encode()):x}"'
        if etag in request.headers.get("If-None-Match", ""):
            return web.Response(status=304, headers={"ETag": etag})
        _, vacancies = await self._app[VACANCIES].active_page(city, 0, FEED_SIZE)
        now = datetime.now(UTC)
        vacancies = [v for v in vacancies if v.is_open(now)]
        base = self._base_url(request)
        username = await self._bot_username()
        items = [
            {
                "v": v,
                "link": f"{base}/jobs/{v.id}",
                "pub_date": format_datetime(v.posted_at.astimezone(UTC), usegmt=True),
                "body": self._env.get_template("item.html").render(v=v, apply=_apply(username, v)),
            }
            for v in vacancies
        ]
        newest = max((v.updated_at for v in vacancies), default=now)
        xml = self._env.get_template("feed.xml").render(
            base=base,
            city=city,
            items=items,
            built=format_datetime(newest.astimezone(UTC), usegmt=True),
        )
        return web.Response(
            text=xml,
            content_type="application/rss+xml",
            charset="utf-8",
            headers={"ETag": etag, "Cache-Control": "public, max-age=60"},
        )

    async def jobs(self, request: web.Request) -> web.StreamResponse:
        city = self._city(request)
        try:
            page = query_int(request, "page", default=1, low=1, high=MAX_PAGE)
        except BadInput:
            detail = request.query.get("page", "")[:20]
            return self._page("error.html", 400, message="页码不对", detail=detail)
        total, vacancies = await self._app[VACANCIES].active_page(
            city, (page - 1) * PAGE_SIZE, PAGE_SIZE
        )
        pages = max(1, -(-total // PAGE_SIZE))
        return self._page(
            "list.html",
            200,
            vacancies=vacancies,
            city=city or "",
            page=page,
            pages=pages,
            total=total,
            query=request.query.get("city", ""),
        )

    async def job(self, request: web.Request) -> web.StreamResponse:
        vacancy_id = request.match_info["vacancy_id"]
        vacancy = await self._app[VACANCIES].get(vacancy_id) if _ID.match(vacancy_id) else None
        if vacancy is None or vacancy.status not in _PUBLIC:
            return self._page("error.html", 404, message="没有这个职位", detail=vacancy_id[:40])
        is_open = vacancy.is_open()
        apply = _apply(await self._bot_username(), vacancy) if is_open else None
        return self._page("detail.html", 200 if is_open else 410, v=vacancy, apply=apply)

    def _page(self, template: str, status: int, **values: Any) -> web.Response:
        html = self._env.get_template(template).render(**values)
        return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")

    def _city(self, request: web.Request) -> str | None:
        raw = request.query.get("city", "").strip()[:20]
        if not raw:
            return None
        if self._resolver is None:
            self._resolver = PlaceResolver(self._app[PLACES])
        return self._resolver.city_key(raw)

    def _base_url(self, request: web.Request) -> str:
        configured = self._settings.public_base_url
        return configured or str(request.url.origin())

    async def _bot_username(self) -> str | None:
        if self._username is None:
            try:
                self._username = await bot_username(self._settings, self._app[BOT])
            except Exception as exc:  # Telegram unreachable: pages still work, without apply
                log.warning("Cannot learn the bot's username for apply links: %s", exc)
        return self._username


def _apply(username: str | None, vacancy: Vacancy) -> str | None:
    return apply_link(username, vacancy.id) if username else None
