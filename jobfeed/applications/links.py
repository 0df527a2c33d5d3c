"""``/start`` payloads of the apply deep links (``t.me/<bot>?start=<payload>``).

Telegram allows 1-64 characters of ``A-Za-z0-9_-`` in a payload; vacancy ids are at most
40 of the same characters (``jobfeed.models.VACANCY_ID_PATTERN``), so ``apply_<id>`` fits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jobfeed.models import VACANCY_ID_PATTERN

APPLY_PREFIX = "apply_"
RESUME_PAYLOAD = "resume"
# Every payload this feature owns, valid or not (so a broken apply link gets an answer).
OWNED = re.compile(rf"^({APPLY_PREFIX}|{RESUME_PAYLOAD}$)")
_VACANCY_ID = re.compile(VACANCY_ID_PATTERN)


@dataclass(frozen=True, slots=True)
class ApplyLink:
    vacancy_id: str | None  # None: build or update a résumé without applying


def apply_payload(vacancy_id: str) -> str:
    if not _VACANCY_ID.fullmatch(vacancy_id):
        raise ValueError(f"vacancy id {vacancy_id!r} cannot travel in a deep link")
    return APPLY_PREFIX + vacancy_id


def parse_payload(payload: str | None) -> ApplyLink | None:
    """The link's meaning, or None when the payload is not a valid link of ours."""
    if payload == RESUME_PAYLOAD:
        return ApplyLink(None)
    if payload is None or not payload.startswith(APPLY_PREFIX):
        return None
    vacancy_id = payload.removeprefix(APPLY_PREFIX)
    return ApplyLink(vacancy_id) if _VACANCY_ID.fullmatch(vacancy_id) else None
