"""The Telegram UI's routers, one per feature, included in this order (first match wins)."""

from __future__ import annotations

from aiogram import Router

from handlers import (
    admins,
    alerts,
    applications,
    candidates,
    groups,
    posting,
    recruiters,
    resume,
    search,
    seeking,
    start,
)
from handlers.alerts.opens import AlertOpens
from handlers.filters import PrivateOrCommand
from handlers.resume.entry import WANTS_TO_APPLY


def get_routers() -> list[Router]:
    # Features used in private chat see a group message only when it is addressed to
    # them: one check for all of them instead of one per handler, for every line of
    # group chatter (most of the traffic).
    private = Router(name="private-features")
    private.message.filter(PrivateOrCommand(also=WANTS_TO_APPLY))
    private.message.outer_middleware(AlertOpens())  # an alert's 报名 opened (handlers/alerts)
    private.include_routers(
        # Before search: a résumé or /post step's answer is not a query. Commands
        # still pass through the conversations' steps.
        resume.router(),
        applications.router(),
        posting.router(),
        recruiters.router(),
        admins.router(),
        alerts.router(),  # before search: 订阅 … is not a query
        start.router(),  # after the features that own /start payloads
    )
    return [
        groups.router(),
        private,
        candidates.router(),  # /candidates and invitations (handlers/candidates.py)
        seeking.router(),  # before search: 找活 … in a group is a card, not a query
        # After every conversation (its answers are not queries), before the catch-all.
        search.router(),
        recruiters.expired_router(),  # keep last: buttons no handler above took
    ]
