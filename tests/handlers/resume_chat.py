"""Playing one user in a private chat with the running system, and the test vacancies."""

from __future__ import annotations

from devkit.demo.seeker import SAMPLE_PDF, button_data
from devkit.telegram import SentMessage
from jobfeed.models import ScreeningQuestion, Vacancy
from tests.harness import System

RECRUITER_ID = 700001
VACANCY_ID = "weld-tj-001"


def vacancy(
    vacancy_id: str = VACANCY_ID,
    *,
    recruiter_id: int | None = RECRUITER_ID,
    screening: list[ScreeningQuestion] | None = None,
    title: str = "电焊工",
    employer: str = "华北铝业",
) -> Vacancy:
    return Vacancy(
        id=vacancy_id,
        title=title,
        employer=employer,
        city="天津",
        province="天津",
        salary_min=7000,
        salary_max=9000,
        recruiter_id=recruiter_id,
        screening=screening or [],
    )


class Chat:
    """One user's private chat with the bot; every action waits until it is handled."""

    def __init__(self, system: System, user_id: int, name: str = "求职者") -> None:
        self.system = system
        self.sim = system.sim
        self.user_id = user_id
        self.sim.add_user(user_id, name)

    @property
    def messages(self) -> list[SentMessage]:
        return self.sim.messages_in(self.user_id)

    @property
    def last(self) -> SentMessage:
        return self.messages[-1]

    @property
    def last_text(self) -> str:
        return self.last.plain_text or ""

    async def say(self, text: str) -> str:
        self.sim.user_message(self.user_id, self.user_id, text)
        await self.system.settle()
        return self.last_text

    async def contact(self, phone: str, owner: int | None) -> str:
        self.sim.user_contact(self.user_id, phone, owner)
        await self.system.settle()
        return self.last_text

    async def document(
        self, name: str, mime: str, content: bytes = SAMPLE_PDF, size: int | None = None
    ) -> str:
        """A document; with ``size``, one of that size whose bytes the test does not set."""
        if size is None:
            self.sim.user_document(self.user_id, name, mime, len(content), content)
        else:
            self.sim.user_document(self.user_id, name, mime, size)
        await self.system.settle()
        return self.last_text

    async def photo(self, size: int = 80_000) -> str:
        self.sim.user_photo(self.user_id, size)
        await self.system.settle()
        return self.last_text

    async def sticker(self) -> str:
        self.sim.user_sticker(self.user_id)
        await self.system.settle()
        return self.last_text

    async def press(self, label: str, message: SentMessage | None = None) -> str:
        """Press the inline button containing ``label`` on ``message`` (default: the
        newest message of the bot that has one)."""
        if message is None:
            message = next(
                m for m in reversed(self.messages) if (m.reply_markup or {}).get("inline_keyboard")
            )
        data = button_data(message, label)
        self.sim.callback(self.user_id, message.chat_id, message.message_id, data)
        await self.system.settle()
        return self.last_text

    def reply_keyboard(self) -> list[str]:
        rows = (self.last.reply_markup or {}).get("keyboard", [])
        return [button["text"] for row in rows for button in row]

    async def fill_resume(self, *, phone: str = "13812345678", file: bool = True) -> str:
        """From the name step to the summary, with valid answers."""
        await self.say("张三")
        await self.contact("86" + phone, self.user_id)
        for answer in ("35", "天津", "电焊工", "天津", "焊工证", "3年", "8000元/月", "随时可以"):
            await self.say(answer)
        if file:
            return await self.document("简历.pdf", "application/pdf")
        return await self.say("跳过")
