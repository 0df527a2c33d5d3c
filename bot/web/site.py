"""``/feed.xml``, ``/jobs`` and ``/jobs/{id}``: active vacancies on the web, with the apply
form (``bot.web.apply``), the apply deep link into the bot and the poster. Public (the
API's bearer guard covers ``/api/`` only)."""

from __future__ import annotations

import asyncio
import logging
import re
import zlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from jinja2 import Environment

from bot.appkeys import (
    APPLICATIONS,
    BROKERS,
    KEYS,
    LINKS,
    NOTIFIER,
    PLACES,
    REDIS,
    RESUME_FLOW,
    TEXTS,
    VACANCIES,
)
from bot.config import Settings
from bot.params import BadInput, query_int
from bot.web import brokers as broker_pages
from bot.web.apply import WebApply
from bot.web.crawlers import is_crawler
from bot.web.limits import ApplyLimits, ApplyThrottle
from bot.web.poster import Fonts, NoCjkFont, find_fonts, render_poster
from bot.web.signing import Signer, derive_secret
from bot.web.templates import page_environment
from handlers.deeplinks import with_ref
from jobfeed.applications.verification import SmsCodes
from jobfeed.brokers.models import CODE
from jobfeed.models import VACANCY_ID_PATTERN, Vacancy, VacancyStatus
from jobfeed.sources.place import PlaceResolver

log = logging.getLogger(__name__)

PAGE_SIZE = 20
FEED_SIZE = 100
MAX_PAGE = 10_000
POSTERS_AT_ONCE = 2  # drawing one takes a core for ~0.3 s: a burst waits its turn
_ID = re.compile(VACANCY_ID_PATTERN)
_PUBLIC = (VacancyStatus.active, VacancyStatus.expired, VacancyStatus.closed)


class PublicSite:
    PREFIXES = (
        "/feed.xml",
        "/jobs",
        "/brokers",
    )  # the paths install() routes, for the error pages

    def __init__(self, settings: Settings, *, sms: SmsCodes | None = None) -> None:
        """``sms``: an SMS verification provider; with one, the apply form asks for a code
        sent to the phone (``jobfeed.applications.verification``)."""
        self._settings = settings
        self._sms = sms
        self._env: Environment = page_environment(hr_licence=settings.hr_licence)
        zone = ZoneInfo(settings.timezone)
        self._env.filters["day"] = lambda moment: moment.astimezone(zone).strftime("%Y-%m-%d")
        self._resolver: PlaceResolver | None = None
        self._web_apply: WebApply | None = None
        self._fonts: Fonts | NoCjkFont | None = None
        self._drawing = asyncio.Semaphore(POSTERS_AT_ONCE)

    def install(self, app: web.Application) -> None:
        """Routes ``app``'s requests here; the vacancies, places and links are ``app``'s, made
        when it starts (``bot/resources.py``)."""
        self._app = app
        app.router.add_get("/feed.xml", self.feed, name="public_feed")
        app.router.add_get("/jobs", self.jobs, name="public_jobs")
        app.router.add_get("/jobs/{vacancy_id}", self.job, name="public_job")
        app.router.add_post("/jobs/{vacancy_id}/apply", self.apply, name="public_apply")
        app.router.add_get("/jobs/{vacancy_id}/apply", self.to_form)
        app.router.add_get("/jobs/{vacancy_id}/apply/{number}", self.applied)
        app.router.add_route("*", "/jobs/{vacancy_id}/apply/{number}/forget", self.forget_applied)
        app.router.add_get("/jobs/{vacancy_id}/poster.png", self.poster, name="public_poster")
        broker_pages.install(app, self._env)

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
        applies = await self._apply_links(vacancies)
        items = [
            {
                "v": v,
                "link": f"{base}/jobs/{v.id}",
                "pub_date": format_datetime(v.posted_at.astimezone(UTC), usegmt=True),
                "body": self._env.get_template("item.html").render(v=v, apply=apply),
            }
            for v, apply in zip(vacancies, applies, strict=True)
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
            ref=await self._referral(request),
            vacancies=vacancies,
            city=city or "",
            page=page,
            pages=pages,
            total=total,
            query=request.query.get("city", ""),
        )

    async def job(self, request: web.Request) -> web.StreamResponse:
        vacancy = await self._vacancy(request)
        if vacancy is None:
            return self._missing(request)
        is_open = vacancy.is_open()
        [apply] = await self._apply_links([vacancy]) if is_open else [None]
        ref = await self._referral(request)
        if apply and ref:
            apply = with_ref(apply, ref)
        form = self._applying().form(vacancy) if is_open else None
        status = 200 if is_open else 410
        return self._page("detail.html", status, v=vacancy, apply=apply, form=form, ref=ref)

    async def _referral(self, request: web.Request) -> str | None:
        """A broker's ``?ref=<code>`` when it names an approved broker; a visit counts
        unless a link-preview fetcher or crawler made it."""
        code = request.query.get("ref", "")
        if not CODE.fullmatch(code) or request.method != "GET":
            return None
        broker = await self._app[BROKERS].by_code(code)
        if broker is None or not broker.approved:
            return None
        if not is_crawler(request.headers.get("User-Agent")):
            await self._app[BROKERS].visited(code)
        return code

    async def apply(self, request: web.Request) -> web.StreamResponse:
        vacancy = await self._vacancy(request)
        if vacancy is None:
            return self._missing(request)
        if not vacancy.is_open():
            return self._page("detail.html", 410, v=vacancy, apply=None, form=None)
        return await self._applying().submit(request, vacancy)

    async def applied(self, request: web.Request) -> web.StreamResponse:
        """The signed status page an applicant is sent to after filing."""
        return await self._applying().status(request)

    async def forget_applied(self, request: web.Request) -> web.StreamResponse:
        """Deleting a web applicant's personal data from the status page's link."""
        if request.method not in ("GET", "HEAD", "POST"):
            raise web.HTTPMethodNotAllowed(request.method, ["GET", "HEAD", "POST"])
        return await self._applying().forget(request)

    async def to_form(self, request: web.Request) -> web.StreamResponse:
        """The form's address opened directly (a reload, a shared link): the job page."""
        vacancy_id = request.match_info["vacancy_id"]
        if not _ID.fullmatch(vacancy_id):
            return self._missing(request)
        raise web.HTTPSeeOther(f"/jobs/{vacancy_id}#apply")

    async def poster(self, request: web.Request) -> web.StreamResponse:
        """The vacancy's poster (``bot.web.poster``) with a QR code of its page."""
        vacancy = await self._vacancy(request)
        if vacancy is None:
            return self._missing(request)
        if not vacancy.is_open():
            return self._page("error.html", 410, message="已结束，停止报名", detail=vacancy.title)
        url = f"{self._base_url(request)}/jobs/{vacancy.id}"
        code = request.query.get("ref", "")
        if CODE.fullmatch(code):  # a broker's poster: its QR code carries their code
            url += f"?ref={code}"
        licence = self._settings.hr_licence
        drawn = f"{vacancy.model_dump_json()}|{url}|{licence}".encode()  # what it shows
        etag = f'"{zlib.crc32(drawn):x}"'
        if etag in request.headers.get("If-None-Match", ""):
            return web.Response(status=304, headers={"ETag": etag})
        fonts = self._poster_fonts()
        if isinstance(fonts, NoCjkFont):
            return self._page(
                "error.html", 503, message="海报暂时无法生成", detail="服务器缺少中文字体"
            )
        async with self._drawing:
            png = await asyncio.to_thread(render_poster, vacancy, url, fonts, licence=licence)
        headers = {
            "ETag": etag,
            "Cache-Control": "public, max-age=300",
            "Content-Disposition": f'inline; filename="job-{vacancy.id}.png"',
        }
        return web.Response(body=png, content_type="image/png", headers=headers)

    def _poster_fonts(self) -> Fonts | NoCjkFont:
        if self._fonts is None:
            try:
                self._fonts = find_fonts(self._settings.poster_font)
            except NoCjkFont as exc:
                log.warning("Posters are off: %s", exc)
                self._fonts = exc
        return self._fonts

    def _applying(self) -> WebApply:
        """The apply form over the app's repositories and notifier, made on first use
        (they exist once the app has started)."""
        if self._web_apply is None:
            app, settings = self._app, self._settings
            secret = settings.web_apply_secret
            signer = Signer(
                secret.get_secret_value().encode()
                if secret
                else derive_secret(settings.bot_token.get_secret_value()),
                app[REDIS],
                app[KEYS],
                timedelta(minutes=settings.web_apply_form_minutes),
            )
            limits = ApplyLimits(
                settings.web_apply_per_address,
                settings.web_apply_per_phone,
                settings.trusted_proxies,
            )
            self._web_apply = WebApply(
                app[RESUME_FLOW],
                app[APPLICATIONS],
                app[TEXTS],
                env=self._env,
                signer=signer,
                throttle=ApplyThrottle(app[REDIS], app[KEYS], limits),
                notifier=app[NOTIFIER],
                sms=self._sms,
                brokers=app[BROKERS],
            )
        return self._web_apply

    async def _vacancy(self, request: web.Request) -> Vacancy | None:
        vacancy_id = request.match_info["vacancy_id"]
        vacancy = await self._app[VACANCIES].get(vacancy_id) if _ID.match(vacancy_id) else None
        return vacancy if vacancy is not None and vacancy.status in _PUBLIC else None

    def _missing(self, request: web.Request) -> web.Response:
        detail = request.match_info["vacancy_id"][:40]
        return self._page("error.html", 404, message="没有这个职位", detail=detail)

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

    async def _apply_links(self, vacancies: list[Vacancy]) -> list[str | None]:
        """Each vacancy's apply link; none at all when the channel cannot make links now."""
        links: list[str | None] = []
        for vacancy in vacancies:
            try:
                links.append(await self._app[LINKS].apply_link(vacancy.id))
            except Exception as exc:  # Telegram unreachable: pages still work, without apply
                log.warning("Cannot make apply links: %s", exc)
                return [None] * len(vacancies)
        return links
