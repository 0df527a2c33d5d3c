"""The group matrix: filter by tags and status, edit a group's tags, its welcome and its
moderation policy."""

from __future__ import annotations

from urllib.parse import urlencode

from aiohttp import web
from pydantic import ValidationError

from bot.appkeys import GROUPCARE, GROUPS
from bot.dashboard.appkeys import PAGES, session_of
from bot.dashboard.render import BASE, MAX_PAGE, with_notice
from bot.dashboard.signin import safe_next
from bot.params import INT64_MAX, path_int, query_int
from jobfeed.groupcare.settings import MAX_WELCOME_TEXT, Policy
from jobfeed.models import Group, GroupKind, GroupTags

PAGE = 100
FILTERS = ("kind", "city", "province", "industry", "active")


def chosen(group: Group, query: dict[str, str]) -> bool:
    if query.get("kind") and group.kind.value != query["kind"]:
        return False
    if query.get("city") and group.city != query["city"]:
        return False
    if query.get("province") and group.province != query["province"]:
        return False
    if query.get("industry") and query["industry"] not in group.industries:
        return False
    active = query.get("active")
    return not active or group.active is (active == "1")


async def group_list(request: web.Request) -> web.StreamResponse:
    query = {name: request.query.get(name, "").strip()[:50] for name in FILTERS}
    everyone = await request.config_dict[GROUPS].all()
    rows = [g for g in everyone if chosen(g, query)]
    page = query_int(request, "page", default=1, low=1, high=MAX_PAGE)
    filters = {name: value for name, value in query.items() if value}
    shown = rows[(page - 1) * PAGE : page * PAGE]
    care = request.config_dict[GROUPCARE]
    return request.app[PAGES].response(
        "groups.html",
        session=session_of(request),
        rows=shown,
        cares={g.chat_id: await care.of(g.chat_id) for g in shown if isinstance(g.chat_id, int)},
        policies=[p.value for p in Policy],
        total=len(rows),
        everyone=len(everyone),
        active=sum(1 for g in rows if g.active),
        page=page,
        pages=max(1, -(-len(rows) // PAGE)),
        query=query,
        filters=urlencode(filters),
        here=request.path_qs,
        kinds=[k.value for k in GroupKind],
        cities=sorted({g.city for g in everyone if g.city}),
        provinces=sorted({g.province for g in everyone if g.province}),
        industries=sorted({i for g in everyone for i in g.industries}),
        notice=request.query.get("notice"),
    )


async def edit_tags(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    back = safe_next(str(form.get("back") or BASE + "/groups"))
    try:
        chat_id = path_int(request, "chat_id", low=-INT64_MAX, high=INT64_MAX)
        tags = GroupTags(
            kind=GroupKind(str(form.get("kind"))),
            city=str(form.get("city", "")).strip() or None,
            province=str(form.get("province", "")).strip() or None,
            industries=[
                item.strip()
                for item in str(form.get("industries", "")).replace("，", ",").split(",")
                if item.strip()
            ],
        )
    except (ValueError, ValidationError):
        raise web.HTTPSeeOther(with_notice(back, "tags_invalid")) from None
    updated = await request.config_dict[GROUPS].tag(chat_id, tags)
    raise web.HTTPSeeOther(with_notice(back, "tagged" if updated else "no_group"))


async def edit_care(request: web.Request) -> web.StreamResponse:
    """A group's welcome (on/off, its own rules text) and moderation policy."""
    form = await request.post()
    back = safe_next(str(form.get("back") or BASE + "/groups"))
    try:
        chat_id = path_int(request, "chat_id", low=-INT64_MAX, high=INT64_MAX)
        policy = Policy(str(form.get("policy")))
    except ValueError:
        raise web.HTTPSeeOther(with_notice(back, "care_invalid")) from None
    text = str(form.get("welcome_text", "")).strip()[:MAX_WELCOME_TEXT]
    care = request.config_dict[GROUPCARE]
    await care.set_welcome(chat_id, form.get("welcome") == "on")
    await care.set_welcome_text(chat_id, text or None)
    await care.set_policy(chat_id, policy)
    raise web.HTTPSeeOther(with_notice(back, "care_saved"))
