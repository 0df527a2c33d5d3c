"""What a broadcast is, what can happen to one group, and how far a broadcast has got."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jobfeed import legacy
from jobfeed.channels import DEFAULT_CHANNEL, ChatId
from jobfeed.models import GroupFilter, Vacancy, VacancyId, VacancyStatus

Target = GroupFilter
MAX_DIGEST = 10  # vacancies in one post


class Action(StrEnum):
    send = "send"
    edit = "edit"  # replace the text of an earlier broadcast's delivered posts
    delete = "delete"  # withdraw an earlier broadcast's delivered posts


class Status(StrEnum):
    scheduled = "scheduled"  # waiting for its time
    running = "running"
    paused = "paused"
    cancelled = "cancelled"  # nothing more is sent; in-flight sends still finish
    done = "done"

    @property
    def finished(self) -> bool:
        return self in (Status.cancelled, Status.done)


class FailReason(StrEnum):
    forbidden = "forbidden"  # kicked, or not a member any more: the group is deactivated
    chat_not_found = "chat_not_found"  # the group is deactivated
    message_gone = "message_gone"  # edit/withdraw: the post was deleted in the group
    rejected = "rejected"  # a 400 that no retry can fix (e.g. the text is too long)
    server_error = "server_error"  # 5xx, still failing after every retry
    network = "network"  # no connection, still failing after every retry
    unknown_outcome = "unknown_outcome"  # the reply was lost; policy "report": not resent
    no_channel = "no_channel"  # no channel of the address's name is configured here


class SkipReason(StrEnum):
    cancelled = "cancelled"
    inactive = "inactive"  # the group left the matrix after the plan was made
    merged = "merged"  # migrated into a group this broadcast targets anyway
    unsupported = "unsupported"  # the group's channel cannot edit or delete a post


class Button(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str = Field(min_length=1, max_length=64)
    url: str = Field(min_length=1, max_length=2000)


class ItemState(StrEnum):
    open = "open"  # takes applications: the post shows how to apply
    filled = "filled"  # closed by its recruiter: 已招满
    ended = "ended"  # expired, or no longer approved: 已结束


class PostItem(BaseModel):
    """One vacancy of a post, as every channel gets it; each channel renders it its way."""

    model_config = ConfigDict(frozen=True)

    vacancy_id: VacancyId
    title: str
    employer: str
    province: str
    city: str
    pay: str  # as job seekers read it, e.g. ``5000-8000元/月`` or ``面议``
    headcount: int
    requirements: str = ""
    benefits: list[str] = Field(default_factory=list)
    description: str = ""
    brand: str | None = None
    state: ItemState = ItemState.open
    expires_at: datetime | None = None  # the post's validity (有效期至)
    source: str | None = None  # the feed an imported vacancy came from (转载自)

    @property
    def open(self) -> bool:
        """Whether the post offers to apply (the channel adds its apply link)."""
        return self.state is ItemState.open

    def reposted_from(self) -> str | None:
        return self.source

    @classmethod
    def of(cls, vacancy: Vacancy, now: datetime | None = None) -> PostItem:
        if vacancy.is_open(now):
            state = ItemState.open
        elif vacancy.status is VacancyStatus.closed:
            state = ItemState.filled
        else:
            state = ItemState.ended
        return cls(
            vacancy_id=vacancy.id,
            title=vacancy.title,
            employer=vacancy.employer,
            province=vacancy.province,
            city=vacancy.city,
            pay=vacancy.pay_text(),
            headcount=vacancy.headcount,
            requirements=vacancy.requirements,
            benefits=list(vacancy.benefits),
            description=vacancy.description,
            brand=vacancy.brand,
            state=state,
            expires_at=vacancy.expires_at,
            source=vacancy.reposted_from(),
        )


class Rendered(BaseModel):
    """A post a channel rendered itself (posts stored before they were structured)."""

    model_config = ConfigDict(frozen=True)

    channel: str
    text: str = Field(min_length=1)
    buttons: list[Button] = Field(default_factory=list)


class Post(BaseModel):
    """One message as every channel gets it: one vacancy, or a digest of several.

    Channel-neutral: each channel renders the items in its own markup, within its own
    limits, with its own apply links (``jobfeed.links``)."""

    model_config = ConfigDict(frozen=True)

    items: list[PostItem] = Field(default_factory=list, max_length=MAX_DIGEST)
    rendered: Rendered | None = None

    @model_validator(mode="before")
    @classmethod
    def _old_layout(cls, data: Any) -> Any:
        return legacy.post(data)

    @model_validator(mode="after")
    def _has_content(self) -> Post:
        if not self.items and self.rendered is None:
            raise ValueError("a post carries at least one vacancy")
        return self

    @classmethod
    def of(cls, vacancies: Sequence[Vacancy], now: datetime | None = None) -> Post:
        """The post of one vacancy, or a digest of up to ``MAX_DIGEST``, as they are now."""
        if not 1 <= len(vacancies) <= MAX_DIGEST:
            raise ValueError(f"a post carries 1 to {MAX_DIGEST} vacancies, not {len(vacancies)}")
        return cls(items=[PostItem.of(v, now) for v in vacancies])

    @property
    def digest(self) -> bool:
        return len(self.items) > 1


class Broadcast(BaseModel):
    id: str
    action: Action = Action.send
    parent_id: str | None = None  # the broadcast an edit or withdrawal applies to
    vacancy_ids: list[VacancyId] = Field(default_factory=list)
    target: Target = Field(default_factory=Target)
    post: Post | None = None  # None for a withdrawal
    status: Status
    created_at: datetime
    scheduled_at: datetime | None = None


class ChannelProgress(BaseModel):
    """One channel's share of a broadcast."""

    targeted: int = 0
    delivered: int = 0
    failed: int = 0
    skipped: int = 0


class Progress(BaseModel):
    """Where a broadcast stands; ``targeted == delivered + failed + skipped + pending``.

    ``unknown`` counts sends whose reply was lost (a crash in flight or a dropped
    connection): with policy ``resend`` they were sent again (``resent``), with ``report``
    they are in ``failed["unknown_outcome"]`` and listed in ``unknown_chats``.
    ``by_channel`` splits the targeted groups and their outcomes by channel.
    """

    id: str
    action: Action
    parent_id: str | None = None
    vacancy_ids: list[str]
    target: str
    status: Status
    targeted: int
    delivered: int
    failed: dict[str, int]
    skipped: dict[str, int]
    pending: int
    unknown: int
    resent: int
    unknown_chats: list[ChatId] = Field(default_factory=list)
    by_channel: dict[str, ChannelProgress] = Field(default_factory=dict)
    created_at: datetime
    scheduled_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def failed_total(self) -> int:
        return sum(self.failed.values())

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    @property
    def done(self) -> int:
        return self.targeted - self.pending


class GroupOutcome(BaseModel):
    """One group's line in a broadcast: the chat ``chat_id`` of ``channel``."""

    channel: str = DEFAULT_CHANNEL
    chat_id: ChatId
    state: str  # queued | held | sending | delivered | failed | skipped
    reason: str | None = None
    address: ChatId | None = None  # where the post went, when the group migrated
    message_id: int | None = None
