"""The admin dashboard: server-rendered pages under ``/dashboard`` (a sub-application).

It reads the same repositories as the JSON API (``/api/...``), so a page and the API
show the same numbers. Pages are Jinja2 templates in ``templates/web/dashboard``;
charts are SVG drawn on the server; no page runs a script.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from bot.appkeys import KEYS, REDIS
from bot.config import Settings
from bot.dashboard import (
    applications,
    broadcasts,
    groups,
    ledger,
    matching,
    overview,
    signin,
    vacancies,
    wecom,
)
from bot.dashboard.appkeys import AUTH, PAGES, SECURE_COOKIE, SESSIONS
from bot.dashboard.auth import Authenticator
from bot.dashboard.guard import guard
from bot.dashboard.lockout import Lockout
from bot.dashboard.render import BASE, Pages
from bot.dashboard.sessions import SessionStore

__all__ = ["BASE", "create_dashboard"]


def create_dashboard(settings: Settings, parent: web.Application) -> web.Application:
    """The sub-application; its sessions and sign-in use the Redis of ``parent``, opened
    when the apps start (the parent's resources start before a sub-application's)."""
    app = web.Application(middlewares=[guard])

    async def accounts(app: web.Application) -> AsyncIterator[None]:
        redis, keys = parent[REDIS], parent[KEYS]
        app[SESSIONS] = SessionStore(redis, keys, int(settings.dashboard_session_hours * 3600))
        minutes = int(settings.dashboard_lockout_minutes * 60)
        lockout = Lockout(redis, keys, settings.dashboard_max_failures, minutes)
        app[AUTH] = Authenticator(
            lockout, settings.admin_token, settings.admin_ids, settings.dashboard_passwords
        )
        yield

    app.cleanup_ctx.append(accounts)
    app[PAGES] = Pages(settings.timezone)
    public = settings.webhook_base_url or settings.public_base_url or ""
    app[SECURE_COOKIE] = public.lower().startswith("https://")
    route = app.router
    route.add_get("/login", signin.login_form, name="dashboard_login_form")
    route.add_post("/login", signin.login, name="dashboard_login")
    route.add_post("/logout", signin.logout, name="dashboard_logout")
    route.add_get("/", overview.overview, name="dashboard_overview")
    route.add_get("/search", overview.search, name="dashboard_search")
    route.add_get("/broadcasts", broadcasts.broadcast_list, name="dashboard_broadcasts")
    route.add_get(
        "/broadcasts/{broadcast_id}", broadcasts.broadcast_detail, name="dashboard_broadcast"
    )
    route.add_get(
        "/broadcasts/{broadcast_id}/outcomes.csv",
        broadcasts.broadcast_csv,
        name="dashboard_broadcast_csv",
    )
    route.add_get("/groups", groups.group_list, name="dashboard_groups")
    route.add_post(r"/groups/{chat_id:-?[0-9]{1,19}}/tags", groups.edit_tags, name="dashboard_tag")
    route.add_post(
        r"/groups/{chat_id:-?[0-9]{1,19}}/care", groups.edit_care, name="dashboard_care"
    )
    route.add_get("/vacancies", vacancies.vacancy_list, name="dashboard_vacancies")
    route.add_post(
        r"/vacancies/{vacancy_id:[A-Za-z0-9_-]{1,40}}/{verb:approve|reject|close|release}",
        vacancies.decide_vacancy,
        name="dashboard_decide_vacancy",
    )
    route.add_get("/recruiters", vacancies.recruiter_list, name="dashboard_recruiters")
    route.add_post(
        r"/recruiters/{user_id:[0-9]{1,19}}/{verb:approve|reject|revoke}",
        vacancies.decide_recruiter,
        name="dashboard_decide_recruiter",
    )
    route.add_get("/applications", applications.application_list, name="dashboard_applications")
    route.add_get("/placements", ledger.placements_page, name="dashboard_placements")
    route.add_get("/placements/ledger.xlsx", ledger.export_ledger, name="dashboard_ledger")
    route.add_get("/placements/rewards.xlsx", ledger.export_rewards, name="dashboard_rewards")
    route.add_get("/matching", matching.matching_page, name="dashboard_matching")
    route.add_get(
        r"/matching/export.{format:xlsx|csv}",
        matching.matching_export,
        name="dashboard_matching_export",
    )
    route.add_get("/wecom", wecom.wecom_page, name="dashboard_wecom")
    route.add_post("/wecom/robots", wecom.add_robot, name="dashboard_wecom_robot")
    route.add_post("/wecom/credentials", wecom.set_credentials, name="dashboard_wecom_credentials")
    return app
