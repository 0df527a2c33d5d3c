"""Telegram's ``/start`` deep links: ``https://t.me/<bot>?start=<payload>``.

Telegram allows 1-64 characters of ``A-Za-z0-9_-`` in a payload. The payloads we make:
``apply_<vacancy id>`` (apply; vacancy ids are at most 40 of the same characters,
``jobfeed.models.VACANCY_ID_PATTERN``), ``resume`` (build a résumé) and
``search_<token>`` (a saved search, ``jobfeed.search.saved``) and ``alert_<token>`` (alerts
for a query, ``handlers.alerts``). A broker's link puts ``ref_<code>`` before any of them
(``ref_ab3de7fg_apply_<id>``: 13 + 46 characters at most, within the 64); the referral
middleware (``handlers.brokers``) takes it off before the features see the payload.
Parsing is strict: a payload is ours only when all of it is well formed; anything else
is ``None``.
``bot.telegram.links`` builds the links with these rules and the bot's username.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jobfeed.models import VACANCY_ID_PATTERN
from jobfeed.search.saved import TOKEN

APPLY_PREFIX = "apply_"
RESUME_PAYLOAD = "resume"
SEARCH_PREFIX = "search_"
ALERT_PREFIX = "alert_"
REF_PREFIX = "ref_"
_REF = re.compile(r"^ref_([a-z0-9]{8})(?:_([A-Za-z0-9_-]+))?$")
# Every payload the résumé feature owns, valid or not (so a broken apply link gets an answer).
OWNED = re.compile(rf"^({APPLY_PREFIX}|{RESUME_PAYLOAD}$)")
PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
_VACANCY_ID = re.compile(VACANCY_ID_PATTERN)


@dataclass(frozen=True, slots=True)
class ApplyLink:
    vacancy_id: str | None  # None: build or update a résumé without applying


def start_link(username: str, payload: str) -> str:
    """``https://t.me/<username>?start=<payload>``; ``ValueError`` for a bad name or payload."""
    if not USERNAME.fullmatch(username):
        raise ValueError(f"not a bot username: {username!r}")
    if not PAYLOAD.fullmatch(payload):
        raise ValueError(f"{payload!r} does not fit a /start payload")
    return f"https://t.me/{username}?start={payload}"


def alert_payload(token: str) -> str:
    return ALERT_PREFIX + token


def apply_payload(vacancy_id: str) -> str:
    if not _VACANCY_ID.fullmatch(vacancy_id):
        raise ValueError(f"vacancy id {vacancy_id!r} cannot travel in a deep link (payload)")
    return APPLY_PREFIX + vacancy_id


def parse_apply(payload: str | None) -> ApplyLink | None:
    """The link's meaning, or None when the payload is not a valid apply link of ours."""
    if payload is None or not PAYLOAD.fullmatch(payload):
        return None
    if payload == RESUME_PAYLOAD:
        return ApplyLink(None)
    if not payload.startswith(APPLY_PREFIX):
        return None
    vacancy_id = payload.removeprefix(APPLY_PREFIX)
    return ApplyLink(vacancy_id) if _VACANCY_ID.fullmatch(vacancy_id) else None


def search_payload(token: str) -> str:
    if not TOKEN.fullmatch(token):
        raise ValueError(f"{token!r} is not a saved-search token")
    return SEARCH_PREFIX + token


def parse_search(payload: str | None) -> str | None:
    """The token of a ``search_<token>`` payload, or None when it is not a valid one."""
    if payload is None or not PAYLOAD.fullmatch(payload):
        return None
    if not payload.startswith(SEARCH_PREFIX):
        return None
    token = payload.removeprefix(SEARCH_PREFIX)
    return token if TOKEN.fullmatch(token) else None


def ref_payload(code: str, payload: str | None = None) -> str:
    """``ref_<code>``, or ``ref_<code>_<payload>``; ``ValueError`` past Telegram's 64."""
    combined = REF_PREFIX + code + (f"_{payload}" if payload else "")
    if not _REF.fullmatch(combined) or not PAYLOAD.fullmatch(combined):
        raise ValueError(f"{combined!r} does not fit a /start payload")
    return combined


def split_ref(payload: str | None) -> tuple[str, str | None] | None:
    """``(code, the rest or None)`` of a broker's payload; None when it is not one."""
    if payload is None or not PAYLOAD.fullmatch(payload):
        return None
    found = _REF.fullmatch(payload)
    return (found[1], found[2]) if found else None


def with_ref(link: str, code: str) -> str:
    """A ``t.me`` start link of ours carried by a broker: the payload gets their code."""
    base, _, payload = link.partition("?start=")
    return f"{base}?start={ref_payload(code, payload or None)}"
