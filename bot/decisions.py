"""Telling people about decisions taken on the dashboard or through the HTTP API.

The chat buttons tell them from ``handlers.admins``; these send the same texts.
"""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

from bot.services import Services
from jobfeed.approvals import Result
from jobfeed.roles import Recruiter, RecruiterStatus

log = logging.getLogger(__name__)


async def _tell(bot: Bot, user_id: int, text: str) -> None:
    try:
        await bot.send_message(user_id, text)
    except TelegramAPIError as exc:
        log.warning("Could not message user %s: %s", user_id, exc)


async def vacancy_decided(services: Services, bot: Bot, result: Result, *, approved: bool) -> None:
    vacancy, submission = result.vacancy, result.submission
    if vacancy is None or submission is None:
        return
    texts = services.texts
    if approved:
        reached = len(await services.groups.select(submission.target))
        text = texts.render("admins.recruiter_vacancy_approved", vacancy=vacancy, groups=reached)
    else:
        text = texts.render("admins.recruiter_vacancy_rejected", vacancy=vacancy)
    await _tell(bot, submission.recruiter_id, text)


async def recruiter_decided(
    services: Services, bot: Bot, recruiter: Recruiter, *, approved: bool
) -> None:
    """Tell the applicant (or, for a revocation, the former recruiter) what was decided."""
    if recruiter.status is RecruiterStatus.revoked:
        name = "recruiters.revoked"
    else:
        name = "recruiters.approved" if approved else "recruiters.rejected"
    await _tell(bot, recruiter.user_id, services.texts.render(name, recruiter=recruiter))
