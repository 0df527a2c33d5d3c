"""One simulated job seeker applying to a vacancy, for the demo (and a test keeps it true).

Drives the simulator only as a user would: taps the apply link, agrees, answers each
step, sends a PDF, confirms; waits for the bot's reply after every action.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from devkit.telegram import SentMessage, TelegramSimulator

PAUSE_SIM_SECONDS = 1.2
SAMPLE_PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@dataclass(frozen=True)
class SeekerAnswers:
    name: str = "张伟"
    phone: str = "13812345678"
    age: str = "32"
    city: str = "天津"
    desired_job: str = "电焊工"
    desired_place: str = "天津"
    skills: str = "焊工证（熔化焊接与热切割）"
    experience: str = "5年"
    pay: str = "8000元/月"
    start: str = "随时可以"


async def apply_as_seeker(
    sim: TelegramSimulator,
    vacancy_id: str,
    user_id: int,
    answers: SeekerAnswers | None = None,
    *,
    patience: float = 10.0,
) -> SentMessage:
    """Apply to ``vacancy_id`` as ``user_id``; returns the bot's last message to them
    (on success it names the application number). Screening questions get their first
    accepted choice."""
    a = answers or SeekerAnswers()
    sim.add_user(user_id, a.name[:1] + "先生")
    seeker = _Seeker(sim, user_id, patience)
    reply = await seeker.act(
        lambda: sim.user_message(user_id, user_id, f"/start apply_{vacancy_id}")
    )
    reply = await seeker.press(reply, "同意")
    await seeker.say(a.name)
    reply = await seeker.act(lambda: sim.user_contact(user_id, "86" + a.phone, user_id))
    for text in (a.age, a.city, a.desired_job, a.desired_place, a.skills, a.experience, a.pay,
                 a.start):  # fmt: skip
        reply = await seeker.say(text)
    reply = await seeker.act(
        lambda: sim.user_document(
            user_id, "简历.pdf", "application/pdf", len(SAMPLE_PDF), SAMPLE_PDF
        )
    )
    reply = await seeker.press(reply, "确认提交")
    while "岗位问题" in (reply.plain_text or ""):
        keyboard = (reply.reply_markup or {}).get("keyboard") or [[{"text": "是"}]]
        reply = await seeker.say(keyboard[0][0]["text"])
    return reply


class _Seeker:
    def __init__(self, sim: TelegramSimulator, user_id: int, patience: float) -> None:
        self.sim, self.user_id, self.patience = sim, user_id, patience

    async def act(self, action: Callable[[], object]) -> SentMessage:
        # A person needs a moment per answer; answering faster than Telegram lets a bot
        # write to one chat (about once a second) would only make the bot wait.
        await asyncio.sleep(PAUSE_SIM_SECONDS / self.sim.speed if self.sim.speed else 0)
        before = len(self.sim.messages_in(self.user_id))
        action()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.patience
        while len(self.sim.messages_in(self.user_id)) <= before:
            if loop.time() > deadline:
                raise TimeoutError(f"the bot did not answer user {self.user_id}")
            await asyncio.sleep(0.01)
        return self.sim.messages_in(self.user_id)[-1]

    async def say(self, text: str) -> SentMessage:
        return await self.act(lambda: self.sim.user_message(self.user_id, self.user_id, text))

    async def press(self, message: SentMessage, label: str) -> SentMessage:
        data = button_data(message, label)
        chat_id, message_id = message.chat_id, message.message_id
        return await self.act(lambda: self.sim.callback(self.user_id, chat_id, message_id, data))


def button_data(message: SentMessage, label: str) -> str:
    """The callback data of the inline button whose text contains ``label``."""
    for row in (message.reply_markup or {}).get("inline_keyboard", []):
        for button in row:
            if label in button.get("text", "") and "callback_data" in button:
                return str(button["callback_data"])
    raise LookupError(f"no button {label!r} under the bot's message {message.message_id}")
