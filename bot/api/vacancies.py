"""``/api/vacancies``: create, read and list vacancies."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from bot.api.registry import Api, ApiError
from bot.appkeys import SERVICES
from bot.params import MAX_OFFSET, Integer
from jobfeed.models import Vacancy, VacancyId, VacancyStatus


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
        summary="Create or replace a vacancy",
        tag="vacancies",
        body=Vacancy,
        response=Vacancy,
        status=201,
    )
    async def create_vacancy(request: web.Request, body: Vacancy) -> Any:
        await request.app[SERVICES].vacancies.save(body)
        return body

    @api.route(
        "GET",
        "/api/vacancies/{vacancy_id}",
        summary="One vacancy",
        tag="vacancies",
        path_params=VacancyPath,
        response=Vacancy,
    )
    async def get_vacancy(request: web.Request, path: VacancyPath) -> Any:
        vacancy = await request.app[SERVICES].vacancies.get(path.vacancy_id)
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
        vacancies = await request.app[SERVICES].vacancies.all()
        if query.status is not None:
            vacancies = [v for v in vacancies if v.status is query.status]
        vacancies.sort(key=lambda v: (v.posted_at, v.id), reverse=True)
        page = vacancies[query.offset : query.offset + query.limit]
        return VacancyList(total=len(vacancies), vacancies=page)
