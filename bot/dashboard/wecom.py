"""WeCom on the dashboard: group robots (add one from its webhook URL; keys masked, last
errors), the corp credentials for customer groups, and mass sends awaiting owners."""

from __future__ import annotations

from aiohttp import web

from bot.appkeys import KEYS, REDIS, SETTINGS
from bot.dashboard.appkeys import PAGES, session_of
from bot.dashboard.render import BASE, with_notice
from bot.wecom.robots import RobotRegistry, parse_key
from bot.wecom.setup import credential_store
from jobfeed.confirmations import ConfirmedSends

PAGE = BASE + "/wecom"


async def wecom_page(request: web.Request) -> web.StreamResponse:
    app = request.config_dict
    redis, keys = app[REDIS], app[KEYS]
    sends = ConfirmedSends(redis, keys)
    tallies = [(b, await sends.tally(b)) for b in await sends.open_broadcasts()]
    credentials = await credential_store(app[SETTINGS], redis, keys).get()
    return request.app[PAGES].response(
        "wecom.html",
        session=session_of(request),
        robots=await RobotRegistry(redis, keys).all(),
        credentials=credentials.masked() if credentials else None,
        tallies=tallies,
        awaiting=sum(t.tasks_awaiting for _, t in tallies),
        notice=request.query.get("notice"),
    )


async def add_robot(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    name = str(form.get("name", "")).strip()[:255]
    city = str(form.get("city", "")).strip()[:50] or None
    try:
        key = parse_key(str(form.get("webhook", "")))
    except ValueError:
        raise web.HTTPSeeOther(with_notice(PAGE, "robot_invalid")) from None
    if not name:
        raise web.HTTPSeeOther(with_notice(PAGE, "robot_invalid"))
    await RobotRegistry(request.config_dict[REDIS], request.config_dict[KEYS]).register(
        key, name, city=city
    )
    raise web.HTTPSeeOther(with_notice(PAGE, "robot_added"))


async def set_credentials(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    app = request.config_dict
    store = credential_store(app[SETTINGS], app[REDIS], app[KEYS])
    try:
        await store.set(str(form.get("corp_id", "")).strip(), str(form.get("secret", "")).strip())
    except ValueError:
        raise web.HTTPSeeOther(with_notice(PAGE, "credentials_invalid")) from None
    raise web.HTTPSeeOther(with_notice(PAGE, "credentials_saved"))
