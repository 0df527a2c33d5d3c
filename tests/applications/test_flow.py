"""The résumé step machine driven without Telegram, as a web form or a WeChat chat would.

The "channel" here is the test itself: it keeps the conversation as JSON in Redis between
steps (as a channel keeps it between messages), types each answer once wrongly and once
rightly, and files through the real repository.
"""

from __future__ import annotations

from datetime import UTC, datetime

from redis.asyncio import Redis

from jobfeed.applications.flow import Conversation, Outcome, ResumeFlow, Stage, Step
from jobfeed.applications.models import RESUME_FIELDS, WEB
from jobfeed.applications.repository import ApplicationRepository
from jobfeed.keys import Keys
from jobfeed.models import ScreeningQuestion
from jobfeed.texts import Texts
from jobfeed.vacancies import VacancyRepository
from tests.handlers.resume_chat import VACANCY_ID, vacancy

USER = 4242
CHANNEL = "test-chat"  # a channel of its own: no Telegram here
NOW = datetime(2030, 6, 1, 8, tzinfo=UTC)

# Per field: an answer refused (with the reason the person is told) and one taken.
ANSWERS: dict[str, tuple[str, str, str]] = {
    "name": ("12345", "name_letters", "李四"),
    "phone": ("12345", "phone_format", "138 1234 5678"),
    "age": ("1900", "age_too_old", "1990年"),
    "city": ("/city", "text_command", "天津"),
    "desired_job": ("   ", "text_empty", "电焊工"),
    "desired_place": ("/place", "text_command", "天津周边"),
    "skills": ("", "text_empty", "二保焊, 氩弧焊"),
    "experience_years": ("很多年", "experience_format", "八年"),
    "expected_pay": ("/pay", "text_command", "9000"),
    "start_date": ("", "text_empty", "下周一"),
    "attachment": ("你好", "file_expected", "跳过"),
}


class Chat:
    """A channel without Telegram: the conversation kept as JSON under one Redis key."""

    def __init__(self, redis: Redis, keys: Keys, flow: ResumeFlow) -> None:
        self.redis = redis
        self.key = f"{keys.prefix}:test-channel:{USER}"  # a channel's own store
        self.flow = flow

    async def load(self) -> Conversation:
        raw = await self.redis.get(self.key)
        assert raw is not None
        return Conversation.model_validate_json(raw)

    async def keep(self, conversation: Conversation, step: Step) -> Step:
        if step.stage is Stage.closed:
            await self.redis.delete(self.key)
        else:
            await self.redis.set(self.key, conversation.model_dump_json())
        return step

    async def begin(self, vacancy_id: str | None) -> Step:
        conversation, step = await self.flow.begin(USER, vacancy_id, CHANNEL)
        return await self.keep(conversation, step)

    async def agree(self) -> Step:
        conversation = await self.load()
        return await self.keep(conversation, self.flow.agree(conversation))

    async def type(self, field: str, text: str) -> Step:
        conversation = await self.load()
        return await self.keep(conversation, self.flow.answer(conversation, field, text))

    async def edit(self, field: str) -> Step:
        conversation = await self.load()
        return await self.keep(conversation, self.flow.edit(conversation, field))

    async def confirm(self) -> Step:
        conversation = await self.load()
        return await self.keep(conversation, await self.flow.confirm(conversation, USER))

    async def choose(self, text: str) -> Step:
        conversation = await self.load()
        return await self.keep(conversation, await self.flow.screening(conversation, USER, text))


QUESTIONS = [
    ScreeningQuestion(text="有焊工证吗？", accepted=["是"]),
    ScreeningQuestion(text="能上夜班吗？", choices=["能", "不能"]),
]


async def _setup(redis: Redis, keys: Keys) -> tuple[Chat, ApplicationRepository]:
    applications = ApplicationRepository(redis, keys, 180)
    vacancies = VacancyRepository(redis, keys)
    await vacancies.save(vacancy(screening=QUESTIONS))
    return Chat(redis, keys, ResumeFlow(applications, vacancies, clock=lambda: NOW)), applications


async def test_the_whole_flow_without_telegram(redis: Redis, keys: Keys) -> None:
    chat, applications = await _setup(redis, keys)
    texts = Texts()

    step = await chat.begin(VACANCY_ID)
    assert step.stage is Stage.consent
    step = await chat.agree()
    assert (step.stage, step.field) == (Stage.field, "name")
    assert (await chat.type("name", "返回")).stage is Stage.consent  # back from the first step
    await chat.agree()

    for field in RESUME_FIELDS:
        wrong, reason, right = ANSWERS[field]
        step = await chat.type(field, wrong)
        assert (step.stage, step.field, step.invalid) == (Stage.field, field, reason)
        assert texts.render("resume.invalid", reason=reason).strip()  # the same words as Telegram
        step = await chat.type(field, right)
        assert step.invalid is None
    assert step.stage is Stage.review

    # From the summary, change one field: asked alone, then back to the summary.
    step = await chat.edit("city")
    assert (step.stage, step.field) == (Stage.field, "city")
    assert (await chat.type("city", "北京")).stage is Stage.review

    step = await chat.confirm()
    assert (step.stage, step.index, step.total) == (Stage.screening, 0, 2)
    step = await chat.choose("也许")
    assert (step.stage, step.index, step.invalid) == (Stage.screening, 0, "choice")
    step = await chat.choose("是")
    assert (step.stage, step.index, step.invalid) == (Stage.screening, 1, None)
    step = await chat.choose("能")

    assert (step.stage, step.outcome) == (Stage.closed, Outcome.submitted)
    filed = step.application
    assert filed is not None and filed.qualified
    assert filed.resume is not None
    assert filed.resume.name == "李四"
    assert filed.resume.phone == "13812345678"
    assert filed.resume.age == 40  # born 1990, by the injected clock
    assert filed.resume.city == "北京"
    assert filed.resume.experience_years == 8
    assert filed.resume.attachment is None
    assert [a.answer for a in filed.screening] == ["是", "能"]
    assert await applications.applied_to(USER, VACANCY_ID) == filed
    assert await redis.get(chat.key) is None  # the conversation is over

    step = await chat.begin(VACANCY_ID)
    assert (step.outcome, step.application) == (Outcome.already_applied, filed)


async def test_a_disqualifying_answer_files_at_once_and_a_returning_applicant_reuses(
    redis: Redis, keys: Keys
) -> None:
    chat, applications = await _setup(redis, keys)
    await chat.begin(None)  # a résumé without a vacancy: kept for later
    await chat.agree()
    for field in RESUME_FIELDS:
        await chat.type(field, ANSWERS[field][2])
    step = await chat.confirm()
    assert step.outcome is Outcome.resume_saved
    assert (await applications.get_resume(USER)) is not None

    step = await chat.begin(VACANCY_ID)
    assert step.stage is Stage.returning and step.resume is not None
    conversation = await chat.load()
    step = await chat.keep(conversation, await chat.flow.reuse(conversation, USER))
    assert step.stage is Stage.screening
    step = await chat.choose("否")  # not accepted: the second question is not asked
    assert step.outcome is Outcome.screened_out
    assert step.application is not None and not step.application.qualified


async def test_a_form_fills_every_field_at_once_with_the_same_reasons(
    redis: Redis, keys: Keys
) -> None:
    chat, applications = await _setup(redis, keys)
    flow = chat.flow
    vacancy_now = await VacancyRepository(redis, keys).get(VACANCY_ID)
    conversation = Conversation.for_vacancy(vacancy_now, WEB)
    fields = [f for f in RESUME_FIELDS if f != "attachment"]
    refused = flow.fill(conversation, {f: ANSWERS[f][0] for f in fields})
    assert refused == {f: ANSWERS[f][1] for f in fields}  # the chat's reasons, every one
    assert conversation.draft == {}
    # A back word is an answer in a form, not a step back: the name 返回 is a name.
    assert flow.fill(conversation, {f: ANSWERS[f][2] for f in fields} | {"name": "返回"}) == {}
    flow.agree(conversation)
    step = await flow.confirm(conversation, -77)
    while step.stage is Stage.screening:
        assert step.question is not None
        step = await flow.screening(conversation, -77, step.question.choices[0])
    assert step.outcome is Outcome.submitted and step.application is not None
    assert step.application.source == WEB
    assert step.application.resume is not None and step.application.resume.name == "返回"
    assert (await applications.get(step.application.number)) == step.application
