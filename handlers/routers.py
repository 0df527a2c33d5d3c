"""The Telegram UI's routers, one per feature, included in this order (first match wins)."""

from __future__ import annotations

from aiogram import Router

from handlers import (
    admins,
    alerts,
    applications,
    batches,
    brokers,
    candidates,
    groupcare,
    groups,
    placements,
    posting,
    recruiters,
    releasing,
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
    # A broker's /start payload: attributed, then taken off before the features see it.
    private.message.outer_middleware(brokers.Referrals())
    private.message.outer_middleware(AlertOpens())  # an alert's 报名 opened (handlers/alerts)
    private.include_routers(
        groupcare.private_router(),  # an admin's answer to a question is not a query
        # Before search: a résumé or /post step's answer is not a query. Commands
        # still pass through the conversations' steps.
        resume.router(),
        applications.router(),
        placements.router(),
        batches.router(),
        brokers.router(),
        posting.router(),
        recruiters.router(),
        admins.router(),
        releasing.router(),  # /release: a held vacancy let through from chat
        alerts.router(),  # before search: 订阅 … is not a query
        start.router(),  # after the features that own /start payloads
    )
    return [
        # First: a scam is removed before anything could answer it.
        groupcare.moderation_router(),
        groups.router(),
        groupcare.router(),  # welcomes, admins' settings, FAQ answers before the search
        private,
        candidates.router(),  # /candidates and invitations (handlers/candidates.py)
        seeking.router(),  # before search: 找活 … in a group is a card, not a query
        # After every conversation (its answers are not queries), before the catch-all.
        search.router(),
        recruiters.expired_router(),  # keep last: buttons no handler above took
    ]
