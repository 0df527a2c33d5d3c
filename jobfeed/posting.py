"""Reading a recruiter's answers in the ``/post`` conversation, one field at a time.

Each ``parse_*`` returns clean values or raises ``InvalidInput`` whose ``reason`` is a
code; the Chinese explanation for it is macro ``invalid`` of ``templates/bot/posting.j2``.
``VacancyDraft`` collects the answers and becomes a pending ``Vacancy`` on submit.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from jobfeed.models import GroupFilter, GroupKind, SalaryUnit, Vacancy, VacancyStatus, utcnow
from jobfeed.places import Places
from jobfeed.sources.pay import PayError, parse_pay
from jobfeed.sources.phone import PhoneError, normalise_phone
from jobfeed.sources.place import PlaceError, PlaceResolver

TITLE_MAX = 40
EMPLOYER_MAX = 60
REQUIREMENTS_MAX = 1000
DUTIES_MAX = 1000
# A post must state how long it is valid (人社厅发〔2025〕60号): the wizard's posts are
# valid this long from submission; the recruiter closes them earlier when filled.
VALID_DAYS = 30
BENEFIT_MAX = 20
BENEFITS_MAX = 10
HEADCOUNT_MAX = 10_000

SKIP_WORDS = frozenset({"跳过", "无", "没有", "skip", "/skip", "-"})
ALL_WORDS = frozenset({"全部", "所有", "所有群", "全部群", "全部群组", "all"})

_LIST_SEP = re.compile(r"[,，、;；/\s]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9, "十": 10}  # fmt: skip
_TARGET_NAMES = {
    "kind": "kind", "类型": "kind", "群类型": "kind",
    "city": "city", "城市": "city",
    "province": "province", "省份": "province", "省": "province",
    "industries": "industries", "industry": "industries", "行业": "industries",
}  # fmt: skip
_KINDS = {
    "recruitment": GroupKind.recruitment, "招聘群": GroupKind.recruitment,
    "招聘": GroupKind.recruitment, "community": GroupKind.community,
    "求职社群": GroupKind.community, "社群": GroupKind.community, "求职群": GroupKind.community,
}  # fmt: skip


class InvalidInput(ValueError):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


class VacancyDraft(BaseModel):
    """What the recruiter has answered so far (kept in the FSM data as JSON)."""

    title: str | None = None
    employer: str | None = None
    city: str | None = None
    province: str | None = None
    salary_min: int | None = None
    salary_max: int | None = None
    salary_unit: SalaryUnit = SalaryUnit.month
    headcount: int | None = None
    requirements: str = ""
    description: str = ""  # the duties (工作内容)
    benefits: list[str] = Field(default_factory=list)
    contact_phone: str | None = None
    target: GroupFilter | None = None

    def to_vacancy(
        self, vacancy_id: str, recruiter_id: int, now: datetime | None = None
    ) -> Vacancy:
        values: dict[str, Any] = self.model_dump(exclude={"target"})
        posted = now or utcnow()
        return Vacancy.model_validate(
            {
                **values,
                "posted_at": posted,
                "updated_at": posted,
                "expires_at": posted + timedelta(days=VALID_DAYS),
                "id": vacancy_id,
                "status": VacancyStatus.pending,
                "source": "recruiter",
                "recruiter_id": recruiter_id,
            }
        )


def clean(text: str) -> str:
    return _CONTROL.sub("", unicodedata.normalize("NFKC", text)).strip()


def is_skip(text: str) -> bool:
    return clean(text).lower() in SKIP_WORDS


def parse_short(text: str, limit: int) -> str:
    value = clean(text)
    if not value:
        raise InvalidInput("empty")
    if len(value) > limit:
        raise InvalidInput("too_long", str(limit))
    return value


def parse_place(text: str, places: Places) -> tuple[str, str]:
    """``烟台`` -> (烟台, 山东); an unknown town needs its province: ``小镇 内蒙古``."""
    parts = clean(text).split()
    if not parts or len(parts) > 2:
        raise InvalidInput("place_format")
    city, province = parts[0], parts[1] if len(parts) == 2 else None
    if province is not None and places.get(province) is None:
        raise InvalidInput("province_unknown", province)
    try:
        return PlaceResolver(places).resolve(city, province)
    except PlaceError:
        raise InvalidInput("place_unknown", city) from None


def parse_salary(text: str) -> tuple[int | None, int | None, SalaryUnit]:
    try:
        pay = parse_pay(clean(text))
    except PayError:
        raise InvalidInput("pay_format") from None
    return pay.low, pay.high, pay.unit


def parse_headcount(text: str) -> int:
    value = clean(text).removesuffix("人").removesuffix("名").removesuffix("个").strip()
    if value in _CN_DIGITS:
        return _CN_DIGITS[value]
    if not value.isdigit():
        raise InvalidInput("headcount_format")
    number = int(value)
    if not 1 <= number <= HEADCOUNT_MAX:
        raise InvalidInput("headcount_range", str(HEADCOUNT_MAX))
    return number


def parse_requirements(text: str) -> str:
    return "" if is_skip(text) else parse_short(text, REQUIREMENTS_MAX)


def parse_duties(text: str) -> str:
    return "" if is_skip(text) else parse_short(text, DUTIES_MAX)


def parse_benefits(text: str) -> list[str]:
    if is_skip(text):
        return []
    items = [item for item in _LIST_SEP.split(clean(text)) if item]
    if len(items) > BENEFITS_MAX:
        raise InvalidInput("benefits_count", str(BENEFITS_MAX))
    if any(len(item) > BENEFIT_MAX for item in items):
        raise InvalidInput("benefit_long", str(BENEFIT_MAX))
    return list(dict.fromkeys(items))


def parse_phone(text: str) -> str:
    try:
        return normalise_phone(clean(text))
    except PhoneError:
        raise InvalidInput("phone_format") from None


def parse_target(text: str, places: Places) -> GroupFilter:
    """``全部``, or ``城市=天津,烟台 行业=铝业 类型=招聘群`` (English names work too)."""
    value = clean(text).replace("＝", "=")
    if value.lower() in ALL_WORDS:
        return GroupFilter()
    fields: dict[str, list[Any]] = {}
    for part in value.split():
        name, sep, raw = part.partition("=")
        field = _TARGET_NAMES.get(name.lower())
        items = [item for item in re.split(r"[,，、/]+", raw) if item]
        if not sep or field is None or not items:
            raise InvalidInput("target_format", part)
        if field == "kind":
            try:
                items = [_KINDS[item.lower()] for item in items]
            except KeyError:
                raise InvalidInput("target_kind", raw) from None
        elif field == "province":
            items = [places.province_name(item) for item in items]
        elif field == "city":
            items = [_city_key(item, places) for item in items]
        fields.setdefault(field, []).extend(items)
    if not fields:
        raise InvalidInput("target_format", value)
    try:
        return GroupFilter.model_validate(fields)
    except ValidationError:
        raise InvalidInput("target_format", value) from None


def _city_key(city: str, places: Places) -> str:
    return PlaceResolver(places).city_key(city)


# -- the steps of the conversation ----------------------------------------------------------


class PostingStep(StrEnum):
    """What the recruiter is asked, in this order; any channel walks them alike."""

    job_title = "title"
    employer = "employer"
    city = "city"
    pay = "pay"
    headcount = "headcount"
    requirements = "requirements"
    duties = "duties"
    benefits = "benefits"
    phone = "phone"
    target = "target"
    confirm = "confirm"  # the preview: submit, restart or cancel


POSTING_STEPS: tuple[PostingStep, ...] = tuple(PostingStep)


def next_step(step: PostingStep) -> PostingStep:
    return POSTING_STEPS[POSTING_STEPS.index(step) + 1]


def take(draft: VacancyDraft, step: PostingStep, text: str, places: Places) -> VacancyDraft:
    """The draft with the answer to ``step`` in it; raises ``InvalidInput`` with the reason."""
    update: dict[str, Any]
    if step is PostingStep.job_title:
        update = {"title": parse_short(text, TITLE_MAX)}
    elif step is PostingStep.employer:
        update = {"employer": parse_short(text, EMPLOYER_MAX)}
    elif step is PostingStep.city:
        city, province = parse_place(text, places)
        update = {"city": city, "province": province}
    elif step is PostingStep.pay:
        low, high, unit = parse_salary(text)
        update = {"salary_min": low, "salary_max": high, "salary_unit": unit}
    elif step is PostingStep.headcount:
        update = {"headcount": parse_headcount(text)}
    elif step is PostingStep.requirements:
        update = {"requirements": parse_requirements(text)}
    elif step is PostingStep.duties:
        update = {"description": parse_duties(text)}
    elif step is PostingStep.benefits:
        update = {"benefits": parse_benefits(text)}
    elif step is PostingStep.phone:
        update = {"contact_phone": parse_phone(text)}
    elif step is PostingStep.target:
        update = {"target": parse_target(text, places)}
    else:
        raise ValueError(f"{step} takes no typed answer")
    return draft.model_copy(update=update)
