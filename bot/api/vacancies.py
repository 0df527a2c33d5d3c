"""``/api/vacancies``: create, read and list vacancies."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from aiohttp import web
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    StringConstraints,
    ValidationError,
    field_validator,
)

from bot.api.registry import Api, ApiError
from bot.appkeys import CHECKER, VACANCIES
from bot.params import MAX_OFFSET, Integer
from jobfeed.models import SalaryUnit, Vacancy, VacancyId, VacancyStatus, utcnow

# The domain's Vacancy is lenient (it reads feeds): it strips strings, takes an integer
# for a timestamp. The API's body says exactly what it takes, as its OpenAPI schema
# says it: strict types, and text with something besides whitespace (``\S`` as Python
# reads it is what ``str.strip`` keeps), checked before stripping.
_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})"
)


def _timestamp(value: object) -> object:
    if not isinstance(value, str) or _RFC3339.fullmatch(value) is None:
        raise ValueError(
            "must be an RFC 3339 timestamp with an offset, e.g. 2026-11-15T02:00:00+08:00"
        )
    return datetime.fromisoformat(value.upper())


Timestamp = Annotated[datetime, BeforeValidator(_timestamp)]
Text = Annotated[StrictStr, StringConstraints(min_length=1, max_length=200, pattern=r"\S")]
LongText = Annotated[StrictStr, StringConstraints(max_length=4000)]
Phone = Annotated[StrictStr, StringConstraints(pattern=r"(?:\D*\d){7}")]


def _json_integer(value: object) -> object:
    # JSON Schema's "integer" takes 966.0 (a number with no fraction), not "966" or true.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be an integer")
    return value


Salary = Annotated[int, BeforeValidator(_json_integer), Field(ge=0, le=10_000_000)]


class ScreeningInput(BaseModel):
    model_config = ConfigDict(regex_engine="python-re")

    text: Text
    choices: list[Text] = Field(default_factory=lambda: ["是", "否"], min_length=2)
    accepted: list[Text] = Field(default_factory=list)


class VacancyInput(BaseModel):
    """``POST /api/vacancies``: a vacancy in the feed format (see ``Vacancy``)."""

    model_config = ConfigDict(extra="ignore", regex_engine="python-re")

    id: VacancyId
    title: Text
    employer: Text
    city: Text
    province: Text
    salary_min: Salary | None = None
    salary_max: Salary | None = None
    salary_unit: SalaryUnit = SalaryUnit.month
    headcount: Annotated[StrictInt, Field(ge=1, le=100_000)] = 1
    requirements: LongText = ""
    benefits: list[Text] = Field(default_factory=list)
    description: LongText = ""
    brand: Text | None = None
    contact_phone: Phone | None = None
    posted_at: Timestamp | None = None
    expires_at: Timestamp | None = None
    url: Annotated[StrictStr, StringConstraints(max_length=2000)] | None = None
    status: VacancyStatus = VacancyStatus.active
    source: StrictStr = "manual"
    recruiter_id: StrictInt | None = None
    screening: list[ScreeningInput] = Field(default_factory=list)
    updated_at: Timestamp | None = None

    @field_validator("salary_max")
    @classmethod
    def _max_not_below_min(cls, value: int | None, info: object) -> int | None:
        low = getattr(info, "data", {}).get("salary_min")
        if value is not None and low is not None and value < low:
            raise ValueError("salary_max is below salary_min")
        return value

    def to_vacancy(self, base: Vacancy | None = None) -> Vacancy:
        """The vacancy this body describes; with ``base``, the fields given replace its own
        (a PATCH)."""
        given = self.model_dump(exclude_unset=True)
        start = base.model_dump(exclude={"compliance"}) if base is not None else {}
        return Vacancy.model_validate(start | {k: v for k, v in given.items() if v is not None})


class VacancyPatch(VacancyInput):
    """``PATCH /api/vacancies/{id}``: the fields to change; the rest stay as they are."""

    id: VacancyId | None = None  # type: ignore[assignment]
    title: Text | None = None  # type: ignore[assignment]
    employer: Text | None = None  # type: ignore[assignment]
    city: Text | None = None  # type: ignore[assignment]
    province: Text | None = None  # type: ignore[assignment]

    @field_validator("salary_max")
    @classmethod
    def _max_not_below_min(cls, value: int | None, info: object) -> int | None:
        return value  # checked with the stored fields: a conflict (409), not bad input


# Fields the post checker needs the author to give (the model has a default for them).
_GIVEN = ("headcount",)


def _built(body: VacancyInput, base: Vacancy | None = None) -> Vacancy:
    try:
        return body.to_vacancy(base)
    except ValidationError as exc:  # the body's rules are the domain's: only a PATCH
        # can break one, against the fields it leaves as stored (a conflict)
        raise ApiError(
            400 if base is None else 409,
            "invalid vacancy" if base is None else "the change conflicts with the vacancy",
            exc.errors(include_url=False, include_input=False, include_context=False),
        ) from None


class VacancyQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: VacancyStatus | None = None
    offset: Integer = Field(default=0, ge=0, le=MAX_OFFSET)
    limit: Integer = Field(default=50, ge=1, le=500)


class VacancyPath(BaseModel):
    vacancy_id: VacancyId


class VacancyList(BaseModel):
    total: int
    vacancies: list[Vacancy]


def setup(api: Api) -> None:
    @api.route(
        "POST",
        "/api/vacancies",
        summary="Create or replace a vacancy; the post checker's verdict is in ``compliance``",
        tag="vacancies",
        body=VacancyInput,
        response=Vacancy,
        status=201,
    )
    async def create_vacancy(request: web.Request, body: VacancyInput) -> Any:
        vacancies, checker = request.app[VACANCIES], request.app[CHECKER]
        previous = await vacancies.get(body.id)
        absent = [name for name in _GIVEN if name not in body.model_fields_set]
        vacancy = checker.apply(_built(body), previous=previous, absent=absent)
        await vacancies.save(vacancy)
        return vacancy

    @api.route(
        "PATCH",
        "/api/vacancies/{vacancy_id}",
        summary="Edit a vacancy; the post checker reads it again (see ``compliance``)",
        tag="vacancies",
        path_params=VacancyPath,
        body=VacancyPatch,
        response=Vacancy,
        errors={
            404: "no such vacancy",
            409: "the change and the stored fields together are invalid (e.g. pay range)",
        },
    )
    async def edit_vacancy(request: web.Request, path: VacancyPath, body: VacancyPatch) -> Any:
        vacancies, checker = request.app[VACANCIES], request.app[CHECKER]
        previous = await vacancies.get(path.vacancy_id)
        if previous is None:
            raise ApiError(404, "no such vacancy")
        if body.id is not None and body.id != previous.id:
            raise ApiError(409, "the id of a vacancy cannot change")
        update: dict[str, Any] = {"updated_at": utcnow()}
        if "status" not in body.model_fields_set:
            update["status"] = previous.status
        edited = _built(body, previous).model_copy(update=update)
        vacancy = checker.apply(edited, previous=previous)
        await vacancies.save(vacancy)
        return vacancy

    @api.route(
        "GET",
        "/api/vacancies/{vacancy_id}",
        summary="One vacancy",
        tag="vacancies",
        path_params=VacancyPath,
        response=Vacancy,
    )
    async def get_vacancy(request: web.Request, path: VacancyPath) -> Any:
        vacancy = await request.app[VACANCIES].get(path.vacancy_id)
        if vacancy is None:
            raise ApiError(404, "no such vacancy")
        return vacancy

    @api.route(
        "GET",
        "/api/vacancies",
        summary="List vacancies, newest first",
        tag="vacancies",
        query=VacancyQuery,
        response=VacancyList,
    )
    async def list_vacancies(request: web.Request, query: VacancyQuery) -> Any:
        vacancies = await request.app[VACANCIES].all()
        if query.status is not None:
            vacancies = [v for v in vacancies if v.status is query.status]
        vacancies.sort(key=lambda v: (v.posted_at, v.id), reverse=True)
        page = vacancies[query.offset : query.offset + query.limit]
        return VacancyList(total=len(vacancies), vacancies=page)
