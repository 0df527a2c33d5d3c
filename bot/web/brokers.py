"""``/brokers/{code}?k=…``: a broker's own page (standing, links, the area's leaderboard),
opened from the link ``/broker`` gives them in chat. The key is an HMAC of the code, so
the page is the broker's as long as they keep the link; it shows no one's personal data."""

from __future__ import annotations

import hashlib
import hmac
from base64 import urlsafe_b64encode

from aiohttp import web
from jinja2 import Environment

from bot.appkeys import APPLICATIONS, BROKERS, LINKS, REPORTS, SETTINGS
from bot.config import Settings
from bot.web.signing import derive_secret
from handlers.brokers import personal_links
from jobfeed.brokers.models import CODE
from jobfeed.brokers.standing import standing
from jobfeed.models import utcnow


def page_secret(settings: Settings) -> bytes:
    secret = settings.web_apply_secret
    if secret:
        return secret.get_secret_value().encode()
    return derive_secret(settings.bot_token.get_secret_value())


def broker_key(secret: bytes, code: str) -> str:
    digest = hmac.new(secret, f"broker\x1f{code}".encode(), hashlib.sha256).digest()
    return urlsafe_b64encode(digest[:18]).decode()


class BrokerPages:
    """Links to brokers' pages, for the chat (``/broker``): None without a public address."""

    def __init__(self, settings: Settings) -> None:
        self._secret = page_secret(settings)
        self._base = settings.public_base_url

    def link(self, code: str) -> str | None:
        if not self._base:
            return None
        return f"{self._base}/brokers/{code}?k={broker_key(self._secret, code)}"


def install(app: web.Application, env: Environment) -> None:
    async def broker_page(request: web.Request) -> web.StreamResponse:
        code = request.match_info["code"]
        settings = request.app[SETTINGS]
        key = request.query.get("k", "")
        valid = CODE.fullmatch(code) is not None and hmac.compare_digest(
            broker_key(page_secret(settings), code), key
        )
        broker = await request.app[BROKERS].by_code(code) if valid else None
        if broker is None or not broker.approved:
            html = env.get_template("error.html").render(message="没有这个页面", detail="")
            return web.Response(text=html, status=404, content_type="text/html", charset="utf-8")
        reports = request.app[REPORTS]
        found = await standing(broker, reports, request.app[APPLICATIONS], utcnow())
        bot_link, jobs_link = await personal_links(
            broker, request.app[LINKS], settings.public_base_url or str(request.url.origin())
        )
        html = env.get_template("broker.html").render(
            s=found,
            months=reports.placements.months,
            rule=reports.rule,
            bot_link=bot_link,
            jobs_link=jobs_link,
        )
        return web.Response(
            text=html,
            content_type="text/html",
            charset="utf-8",
            headers={"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"},
        )

    app.router.add_get(r"/brokers/{code:[a-z0-9]{1,20}}", broker_page, name="broker_page")
