"""``/api/applications``: admins read applications (phones masked) and change statuses.

Every read is written to the access log under the actor ``api`` (the admin token).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from aiohttp import web
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from bot.api.registry import Api, ApiError
from bot.appkeys import APPLICATIONS, HIRING, NOTIFIER, PLACEMENT_NOTIFIER, VACANCIES
from bot.params import MAX_OFFSET, Integer
from jobfeed.applications.masking import mask_phone
from jobfeed.applications.models import (
    RECRUITER_STATUSES,
    AccessAction,
    AccessRecord,
    Application,
    ApplicationSource,
    ApplicationStatus,
    ScreeningAnswer,
    StatusChange,
)
from jobfeed.models import VacancyId
from jobfeed.notify import tell_applicant
from jobfeed.placements.hiring import place_and_tell

ACTOR = "api"
MAX_NUMBER = 10**12 - 1


class Applicant(BaseModel):
    name: str
    phone_masked: str
    age: int
    city: str
    desired_job: str
    desired_place: str
    skills: str
    experience_years: int
    expected_pay: str
    start_date: str
    has_file: bool


class ApplicationOut(BaseModel):
    number: int
    vacancy_id: str
    vacancy_title: str
    employer: str
    recruiter_id: int | None
    status: ApplicationStatus
    qualified: bool
    source: ApplicationSource = Field(
        description="where it was filed: the chat channel's name (telegram) or web"
    )
    broker: str | None = Field(
        default=None, description="the code of the labour broker who brought the applicant"
    )
    created_at: datetime
    updated_at: datetime
    forgotten: bool = Field(description="the applicant deleted their personal data")
    applicant: Applicant | None
    screening: list[ScreeningAnswer]

    @classmethod
    def of(cls, application: Application) -> ApplicationOut:
        resume = application.resume
        applicant = None
        if resume is not None:
            applicant = Applicant(
                **resume.model_dump(
                    include={
                        "name", "age", "city", "desired_job", "desired_place", "skills",
                        "experience_years", "expected_pay", "start_date",
                    }
                ),
                phone_masked=mask_phone(resume.phone),
                has_file=resume.attachment is not None,
            )  # fmt: skip
        return cls(
            **application.model_dump(
                include={
                    "number", "vacancy_id", "vacancy_title", "employer", "recruiter_id",
                    "status", "qualified", "created_at", "updated_at", "screening", "source",
                    "broker",
                }
            ),
            forgotten=application.forgotten,
            applicant=applicant,
        )  # fmt: skip


class ApplicationDetail(ApplicationOut):
    history: list[StatusChange]


class ApplicationList(BaseModel):
    total: int
    applications: list[ApplicationOut]


class ApplicationQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    offset: Integer = Field(default=0, ge=0, le=MAX_OFFSET)
    limit: Integer = Field(default=50, ge=1, le=500)


class VacancyPath(BaseModel):
    vacancy_id: VacancyId


class NumberPath(BaseModel):
    number: Integer = Field(ge=1, le=MAX_NUMBER)


def _settable(status: ApplicationStatus) -> ApplicationStatus:
    if status not in RECRUITER_STATUSES:
        allowed = ", ".join(s.value for s in RECRUITER_STATUSES)
        raise ValueError(f"status must be one of: {allowed}")
    return status


SettableStatus = Annotated[
    ApplicationStatus,
    AfterValidator(_settable),
    WithJsonSchema({"type": "string", "enum": [s.value for s in RECRUITER_STATUSES]}),
]


class StatusBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: SettableStatus


class StatusResult(BaseModel):
    application: ApplicationOut
    changed: bool
    notified: bool


class AccessQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: Integer = Field(default=100, ge=1, le=1000)


def setup(api: Api) -> None:
    @api.route(
        "GET",
        "/api/vacancies/{vacancy_id}/applications",
        summary="Applications to a vacancy, newest first (phones masked)",
        tag="applications",
        path_params=VacancyPath,
        query=ApplicationQuery,
        response=ApplicationList,
    )
    async def list_applications(
        request: web.Request, path: VacancyPath, query: ApplicationQuery
    ) -> Any:
        repository = request.app[APPLICATIONS]
        total, page = await repository.for_vacancy(path.vacancy_id, query.offset, query.limit)
        await repository.log_access([a.number for a in page], ACTOR, AccessAction.exported)
        return ApplicationList(total=total, applications=[ApplicationOut.of(a) for a in page])

    @api.route(
        "GET",
        "/api/applications/{number}",
        summary="One application with its status history (phone masked)",
        tag="applications",
        path_params=NumberPath,
        response=ApplicationDetail,
    )
    async def get_application(request: web.Request, path: NumberPath) -> Any:
        repository = request.app[APPLICATIONS]
        application = await _application(request, path.number)
        await repository.log_access([application.number], ACTOR, AccessAction.viewed)
        history = await repository.history(application.number)
        return ApplicationDetail(**ApplicationOut.of(application).model_dump(), history=history)

    @api.route(
        "PATCH",
        "/api/applications/{number}",
        summary="Set the status (viewed, interview, hired, rejected); the applicant is told",
        tag="applications",
        path_params=NumberPath,
        body=StatusBody,
        response=StatusResult,
    )
    async def set_status(request: web.Request, path: NumberPath, body: StatusBody) -> Any:
        number = (await _application(request, path.number)).number
        updated, changed = await request.app[APPLICATIONS].set_status(number, body.status, ACTOR)
        if updated is None:
            raise ApiError(404, "no such application")
        await request.app[APPLICATIONS].log_access([number], ACTOR, AccessAction.status)
        notified = changed and await tell_applicant(request.app[NOTIFIER], updated)
        if changed and updated.status is ApplicationStatus.hired:
            app = request.app
            await place_and_tell(app[HIRING], app[VACANCIES], app[PLACEMENT_NOTIFIER], updated)
        return StatusResult(
            application=ApplicationOut.of(updated), changed=changed, notified=notified
        )

    @api.route(
        "GET",
        "/api/applications/{number}/access",
        summary="Who delivered, viewed, exported or changed this application, newest first",
        tag="applications",
        path_params=NumberPath,
        query=AccessQuery,
        response=list[AccessRecord],
    )
    async def access_log(request: web.Request, path: NumberPath, query: AccessQuery) -> Any:
        number = (await _application(request, path.number)).number
        return await request.app[APPLICATIONS].access_log(number, query.limit)


async def _application(request: web.Request, number: int) -> Application:
    application = await request.app[APPLICATIONS].get(number)
    if application is None:
        raise ApiError(404, "no such application")
    return application
