"""What the Official Account answers to one message: a job search, a step of applying
(the channel-neutral ``ResumeFlow``, one passive reply per step), 我的报名, the welcome.

A follower in the middle of applying has their conversation kept in Redis
(``Keys.channel_chat``); every other text is a search, except ``报名 <id>`` or a job
page's link (starts applying) and 我的报名 (their applications and statuses). Replies are
plain text: WeChat shows nothing else but ``<a href>`` links.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

from pydantic import BaseModel
from redis.asyncio import Redis

from bot.wechat.oa import CHANNEL
from bot.wechat.oa.followers import Followers
from bot.wechat.oa.xmlmsg import Inbound
from jobfeed.applications.flow import Conversation, Outcome, ResumeFlow, Stage, Step
from jobfeed.applications.repository import ApplicationRepository
from jobfeed.keys import Keys
from jobfeed.notify import Notifier
from jobfeed.search.saved import MAX_TEXT, SavedSearch
from jobfeed.search.service import SearchService
from jobfeed.texts import Texts
from jobfeed.vacancies import VacancyRepository

log = logging.getLogger(__name__)

TOP = 5  # results in one reply
MAX_BYTES = 2048  # WeChat's text message
CHAT_DAYS = 7  # an unfinished application is dropped after this (or the retention, if shorter)
SEARCH_WAIT = 3.0  # seconds a first message waits for the index's first load
_APPLY = re.compile(r"^报名\s*([A-Za-z0-9_-]{1,40})$")
_PAGE = re.compile(r"/jobs/([A-Za-z0-9_-]{1,40})(?:[/?#]|$)")
MINE = frozenset({"我的报名", "报名进度", "进度"})
HELP = frozenset({"你好", "您好", "帮助", "help", "?", "？", "菜单"})
FORGET, FORGET_YES = frozenset({"删除我的信息", "删除信息"}), "确认删除"
CANCEL = frozenset({"取消", "退出"})
AGREE, DECLINE = frozenset({"同意", "同意并继续"}), frozenset({"不同意"})
CONFIRM = frozenset({"提交", "确认", "确认提交", "保存"})
REUSE, UPDATE = frozenset({"1", "直接报名"}), frozenset({"2", "修改", "修改简历"})
_EDIT = re.compile(r"^(?:改|修改)\s*(\S+)$")
LABELS = {
    "姓名": "name",
    "名字": "name",
    "手机": "phone",
    "手机号": "phone",
    "电话": "phone",
    "年龄": "age",
    "城市": "city",
    "现居城市": "city",
    "岗位": "desired_job",
    "期望岗位": "desired_job",
    "地点": "desired_place",
    "期望地点": "desired_place",
    "技能": "skills",
    "证书": "skills",
    "年限": "experience_years",
    "经验": "experience_years",
    "工作年限": "experience_years",
    "薪资": "expected_pay",
    "期望薪资": "expected_pay",
    "到岗": "start_date",
    "到岗时间": "start_date",
}


class Chat(BaseModel):
    """Where a follower is in applying: the step shown and the flow's conversation."""

    stage: Stage
    field: str | None = None
    conversation: Conversation


def fit(text: str, limit: int = MAX_BYTES) -> str:
    """``text`` cut at a line to WeChat's limit of a text message (in UTF-8 bytes)."""
    if len(text.encode()) <= limit:
        return text
    kept: list[str] = []
    size = len("…".encode())
    for line in text.split("\n"):
        size += len(line.encode()) + 1
        if size > limit:
            break
        kept.append(line)
    return "\n".join(kept) + "\n…" if kept else text.encode()[: limit - 3].decode(errors="ignore")


def wants_to_apply(text: str) -> str | None:
    """The vacancy of ``报名 <id>`` or of a job page's link in ``text``."""
    match = _APPLY.match(text) or _PAGE.search(text)
    return match.group(1) if match else None


@dataclass(frozen=True, slots=True)
class Desk:
    """Everything answering needs; one per app (``bot.wechat.oa.routes``)."""

    redis: Redis
    keys: Keys
    texts: Texts
    followers: Followers
    flow: ResumeFlow
    applications: ApplicationRepository
    vacancies: VacancyRepository
    search: SearchService
    notifier: Notifier  # delivers the recruiter's card, as for every channel
    public_base_url: str | None

    async def answer(self, message: Inbound, origin: str) -> str | None:
        """The reply to ``message`` (None: nothing to say), with whatever was held for
        the follower before it. ``origin``: the base of job links without a public URL."""
        person = await self.followers.known(message.from_user)
        reply = await self._reply(person, message, self.public_base_url or origin)
        held = await self.followers.take_held(person)
        if not held:
            return fit(reply) if reply else reply
        return fit("\n\n".join([*held, *([reply] if reply else [])]))

    async def _reply(self, person: int, message: Inbound, base: str) -> str | None:
        if message.msg_type == "event":
            # Unsubscribe and menu events: WeChat shows no reply to them.
            return self._say("welcome") if message.event == "subscribe" else None
        chat = await self._load(person)
        if message.msg_type != "text":
            if chat is not None and chat.stage is Stage.field and chat.field:
                reason = "file_expected" if chat.field == "attachment" else "not_text"
                return await self._show(person, chat.conversation, self._ask(chat, reason))
            return self._say("unsupported")
        text = message.content.strip()
        if text in MINE or text in FORGET or text == FORGET_YES:
            return await self._own_data(person, chat, text)
        if chat is not None:
            return await self._step(person, chat, text)
        return await self._outside(person, text, base)

    async def _own_data(self, person: int, chat: Chat | None, text: str) -> str:
        """我的报名 and forgetting: like commands in Telegram, also while applying."""
        if text in FORGET:
            return self._say("forget_confirm")
        if text == FORGET_YES:
            return await self._forget(person)
        mine = self._say("mine", applications=await self.applications.for_applicant(person))
        if chat is None:
            return mine
        step = await self._again(person, chat)
        return mine + "\n\n" + await self._show(person, chat.conversation, step)

    async def _outside(self, person: int, text: str, base: str) -> str:
        """A text from someone not applying: 报名 <id>, help, or a search."""
        if text.lower() in HELP:
            return self._say("help")
        vacancy_id = wants_to_apply(text)
        if vacancy_id is not None:
            conversation, step = await self.flow.begin(person, vacancy_id, CHANNEL)
            return await self._show(person, conversation, step)
        return await self._search(text, base)

    # -- search ----------------------------------------------------------------------------

    async def _search(self, text: str, base: str) -> str:
        text = text[:MAX_TEXT]
        if not text or self.search.is_small_talk(text):
            return self._say("help")
        if not await self.search.ready(SEARCH_WAIT):
            return self._say("loading")
        found = await self.search.find(SavedSearch(text=text), TOP)
        await self.search.record(text, found.total)
        result = found.result
        if not found.vacancies:
            return self._say(
                "not_found", query=result.query, trades=self.search.hint_trades(result)
            )
        links = [f"{base}/jobs/{v.id}" for v in found.vacancies]
        return self._say("results", result=result, vacancies=found.vacancies, links=links)

    # -- applying --------------------------------------------------------------------------

    async def _step(self, person: int, chat: Chat, text: str) -> str:
        flow, conversation = self.flow, chat.conversation
        if text in CANCEL:
            return await self._show(person, conversation, flow.cancel(conversation))
        match chat.stage:
            case Stage.consent if text in AGREE:
                step = flow.agree(conversation)
            case Stage.consent if text in DECLINE:
                step = flow.decline(conversation)
            case Stage.returning if text in REUSE:
                step = await flow.reuse(conversation, person)
            case Stage.returning if text in UPDATE:
                step = await flow.update(conversation, person)
            case Stage.field if chat.field:
                step = flow.answer(conversation, chat.field, text)
            case Stage.review if text in CONFIRM:
                step = await flow.confirm(conversation, person)
            case Stage.review if (edit := _EDIT.match(text)) and edit[1] in LABELS:
                step = flow.edit(conversation, LABELS[edit[1]])
            case Stage.screening:
                step = await flow.screening(conversation, person, await self._choice(chat, text))
            case _:
                return (
                    self._say("invalid", reason="use_words")
                    + "\n\n"
                    + await self._show(person, conversation, await self._again(person, chat))
                )
        return await self._show(person, conversation, step)

    async def _choice(self, chat: Chat, text: str) -> str:
        """A typed number stands for that choice of the question shown."""
        vacancy_id = chat.conversation.vacancy_id
        vacancy = await self.vacancies.get(vacancy_id) if vacancy_id else None
        if vacancy is None or not text.isdigit() or not vacancy.screening:
            return text
        index = min(len(chat.conversation.answers), len(vacancy.screening) - 1)
        choices = vacancy.screening[index].choices
        number = int(text)
        return choices[number - 1] if 1 <= number <= len(choices) else text

    def _ask(self, chat: Chat, reason: str) -> Step:
        assert chat.field is not None
        return self.flow.ask(chat.conversation, chat.field, reason)

    async def _again(self, person: int, chat: Chat) -> Step:
        """The step shown last, shown again."""
        if chat.stage is Stage.field and chat.field:
            return self.flow.ask(chat.conversation, chat.field)
        if chat.stage is Stage.review:
            return self.flow.summary(chat.conversation)
        if chat.stage is Stage.screening:
            step = await self.flow.not_a_choice(chat.conversation, person)
            return replace(step, invalid=None)
        return Step(chat.stage)

    async def _show(self, person: int, conversation: Conversation, step: Step) -> str:
        if step.stage is Stage.closed:
            return await self._close(person, step)
        resume = None
        if step.stage is Stage.returning:
            # Shown again, the résumé is read again (the stored step does not keep it);
            # gone meanwhile (expired, forgotten), the consent is asked instead.
            resume = step.resume or await self.applications.get_resume(person)
            if resume is None:
                step = Step(Stage.consent)
        if step.stage is Stage.returning:
            text = self._say(
                "returning",
                resume_=resume,
                vacancy_title=conversation.vacancy_title,
                employer=conversation.employer,
                retention_days=self.flow.retention_days,
            )
        elif step.stage is Stage.consent:
            text = self._say(
                "consent",
                employer=conversation.employer,
                vacancy_title=conversation.vacancy_title,
                retention_days=self.flow.retention_days,
            )
        elif step.stage is Stage.field:
            text = self._noted(
                step,
                self._say("ask", field=step.field, vacancy_title=conversation.vacancy_title),
            )
        elif step.stage is Stage.review:
            text = self._say(
                "review",
                draft=conversation.draft,
                vacancy_title=conversation.vacancy_title,
                employer=conversation.employer,
            )
            if step.busy:
                text = self._say("busy") + "\n\n" + text
        else:
            assert step.question is not None
            question = self._say(
                "screening_question",
                question=step.question,
                index=step.index + 1,
                total=step.total,
            )
            text = self._noted(step, question)
        await self._save(
            person, Chat(stage=step.stage, field=step.field, conversation=conversation)
        )
        return text

    def _noted(self, step: Step, text: str) -> str:
        if not step.invalid:
            return text
        return self._say("invalid", reason=step.invalid) + "\n\n" + text

    async def _close(self, person: int, step: Step) -> str:
        outcome = step.outcome
        if outcome is Outcome.submitted:
            assert step.application is not None
            text = self._say("submitted", app=step.application)
            # The recruiter gets the card before the conversation ends: a retried message
            # finds the same application (``applied_to``), as in every channel.
            await self.notifier.deliver_card(step.application)
        elif outcome is Outcome.screened_out:
            text = self._say("screened_out", vacancy_title=step.vacancy_title)
        else:
            name = outcome.value if outcome else "unavailable"
            text = self._say(
                "closed",
                name=name,
                retention_days=self.flow.retention_days,
                app=step.application,
            )
        await self.redis.delete(self.keys.channel_chat(CHANNEL, person))
        return text

    async def _forget(self, person: int) -> str:
        """Their résumé, the personal part of their applications, and what this channel
        keeps of them; the recruiters' cards are replaced (as for ``/forget``)."""
        numbers = await self.applications.forget(person)
        await self.redis.delete(self.keys.channel_chat(CHANNEL, person))
        await self.followers.forget(person)
        log.info("An Official Account follower forgot: %d applications scrubbed", len(numbers))
        await self.notifier.forget_cards(numbers)
        return self._say("forgotten", count=len(numbers))

    # -- the stored conversation -----------------------------------------------------------

    async def _load(self, person: int) -> Chat | None:
        raw = await self.redis.get(self.keys.channel_chat(CHANNEL, person))
        return Chat.model_validate_json(raw) if raw else None

    async def _save(self, person: int, chat: Chat) -> None:
        days = min(CHAT_DAYS, self.flow.retention_days)
        key = self.keys.channel_chat(CHANNEL, person)
        await self.redis.set(key, chat.model_dump_json(), ex=days * 86400)

    def _say(self, name: str, /, **values: object) -> str:
        return self.texts.render(f"wechat_oa.{name}", **values)
