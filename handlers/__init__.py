"""Telegram UI: one router per feature, included in this order (first match wins)."""

from __future__ import annotations

from aiogram import Router

from handlers import groups


def get_routers() -> list[Router]:
    return [
        groups.router(),
    ]
