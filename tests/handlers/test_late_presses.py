"""A button press handled after Telegram's answer window (adopted after a crash, or
slow) cannot be answered any more; the work behind it happens all the same."""

from __future__ import annotations

import re
from pathlib import Path

from devkit.demo.seeker import button_data
from devkit.telegram import SentMessage
from jobfeed.applications.models import ApplicationStatus
from tests.handlers.resume_chat import RECRUITER_ID, VACANCY_ID, Chat, vacancy
from tests.harness import System

SEEKER = 610701


async def press_late(system: System, user_id: int, message: SentMessage, label: str) -> None:
    answered, tried = len(system.sim.callback_answers), system.sim.requests["answerCallbackQuery"]
    system.sim.callback(user_id, message.chat_id, message.message_id, button_data(message, label))
    # Before the bot fetches it: by the time it is handled, the answer window has passed.
    assert system.sim.expire_callbacks() == 1
    await system.settle()
    # The bot tried to answer and Telegram refused: no answer reached the user.
    assert system.sim.requests["answerCallbackQuery"] > tried
    assert len(system.sim.callback_answers) == answered


async def test_a_late_confirm_still_files_and_delivers_the_card(system: System) -> None:
    await system.services.vacancies.save(vacancy())
    system.sim.add_user(RECRUITER_ID, "招聘经理")
    chat = Chat(system, SEEKER)
    await chat.say(f"/start apply_{VACANCY_ID}")
    await chat.press("同意")
    await chat.fill_resume(file=False)
    await press_late(system, SEEKER, chat.last, "确认提交")

    assert "报名成功" in chat.last_text
    [application] = await system.services.applications.for_applicant(SEEKER)
    [card] = system.sim.messages_in(RECRUITER_ID)
    assert "张三" in (card.plain_text or "") and str(application.number) in (card.plain_text or "")
    assert await system.services.applications.is_delivered(application.number)

    # The recruiter's status button, pressed late too: the status is set, the applicant told.
    told = len(chat.messages)
    await press_late(system, RECRUITER_ID, card, "面试")
    updated = await system.services.applications.get(application.number)
    assert updated is not None and updated.status is ApplicationStatus.interview
    assert len(chat.messages) == told + 1


def test_every_press_is_answered_through_the_best_effort_helper() -> None:
    root = Path(__file__).resolve().parents[2] / "handlers"
    direct = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py")
        if path.name != "answering.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\bquery\.answer\(|answer_callback_query\(", line)
    ]
    assert direct == []
