"""Keeping groups useful: scam and spam removal first (it sees every group message before
anything answers it), welcomes, FAQ answers, admins' settings; in private chat FAQ answers
and questions handed to a person."""

from __future__ import annotations

from aiogram import Router

from handlers.groupcare import admin, faq, moderation, welcome


def moderation_router() -> Router:
    return moderation.router()


def router() -> Router:
    r = Router(name="groupcare")
    r.include_routers(welcome.router(), admin.router(), faq.group_router())
    return r


def private_router() -> Router:
    return faq.private_router()
