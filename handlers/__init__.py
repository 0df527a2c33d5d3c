"""Telegram UI: one router per feature, included in this order (first match wins)."""

from __future__ import annotations

from aiogram import Router

from handlers import admins, applications, groups, posting, recruiters, resume, search


def get_routers() -> list[Router]:
    return [
        groups.router(),
        # Before search and other private-chat features: a résumé step's answer is
        # not a query. Commands still pass through the conversation's steps.
        resume.router(),
        applications.router(),
        # Staff before search: a /post step's answer is not a query either.
        posting.router(),
        recruiters.router(),
        admins.router(),
        # After every conversation (its answers are not queries), before the catch-all.
        search.router(),
        recruiters.expired_router(),  # keep last: buttons no handler above took
    ]
