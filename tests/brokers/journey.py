"""Helpers of the broker and placement tests: a job seeker applies through the bot, the
recruiter marks them hired from the card, and a clock that tests move by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from devkit.telegram import SentMessage
from jobfeed.placements.models import Placement
from tests.handlers.resume_chat import RECRUITER_ID, VACANCY_ID, Chat, vacancy
from tests.harness import System


@dataclass
class Clock:
    """The placements' clock (``PlacementRepository.clock``), moved by the test."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def forward(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def clock_at(system: System, when: datetime | None = None) -> Clock:
    """A fixed clock for hires, answers and the check-in job, from today's real time so
    the test means the same under faketime."""
    clock = Clock(when or datetime.now(UTC).replace(microsecond=0))
    system.services.placements.clock = clock
    return clock


def data_of(message: SentMessage, label: str) -> str:
    return next(
        str(b["callback_data"])
        for row in (message.reply_markup or {})["inline_keyboard"]
        for b in row
        if label in b["text"]
    )


def with_label(chat_messages: list[SentMessage], label: str) -> SentMessage:
    for message in reversed(chat_messages):
        for row in (message.reply_markup or {}).get("inline_keyboard", []):
            if any(label in b["text"] for b in row):
                return message
    raise AssertionError(f"no message with a {label!r} button")


async def apply(system: System, seeker: int, payload: str = f"apply_{VACANCY_ID}") -> Chat:
    """The seeker applies through ``/start <payload>`` and files the application."""
    if await system.services.vacancies.get(VACANCY_ID) is None:
        await system.services.vacancies.save(vacancy())
        system.sim.add_user(RECRUITER_ID, "招聘经理")
    chat = Chat(system, seeker)
    await chat.say(f"/start {payload}")
    await chat.press("同意")
    await chat.fill_resume(phone=f"1391234{seeker % 10000:04d}", file=False)
    await chat.press("确认提交")
    return chat


async def hire(system: System, seeker: int) -> Placement:
    """The recruiter presses 已录用 on the seeker's card."""
    [application] = await system.services.applications.for_applicant(seeker)
    cards = [
        m
        for m in system.sim.messages_in(RECRUITER_ID)
        if f"新报名 {application.number}" in (m.plain_text or "")
    ]
    card = cards[-1]
    system.sim.callback(RECRUITER_ID, RECRUITER_ID, card.message_id, data_of(card, "已录用"))
    await system.settle()
    placement = await system.services.placements.get(application.number)
    assert placement is not None
    return placement
