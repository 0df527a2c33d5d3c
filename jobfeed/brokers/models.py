"""A broker: approved by an admin like a recruiter, known by the code in their links."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from jobfeed.models import utcnow

# Codes travel in links to the chat (beside an apply link, within the channel's short
# limits) and in ``?ref=`` of job pages: short, lower-case, unambiguous.
CODE = re.compile(r"^[a-z0-9]{6,10}$")
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread on a poster
CODE_LENGTH = 8

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class BrokerStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


class Broker(BaseModel):
    person: int
    code: str = Field(pattern=CODE.pattern)
    name: Text
    area: Text  # the county or town the broker works in (their leaderboard's area)
    licence: Text  # 许可证 / 备案号
    status: BrokerStatus = BrokerStatus.pending
    applied_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None

    @property
    def approved(self) -> bool:
        return self.status is BrokerStatus.approved
