"""A hire becomes a placement: the use case behind the recruiter's 已录用."""

from __future__ import annotations

from datetime import date

from jobfeed.applications.models import Application, ApplicationStatus
from jobfeed.brokers.repository import BrokerRepository
from jobfeed.models import SalaryUnit, Vacancy
from jobfeed.placements.checkins import PlacementNotifier
from jobfeed.placements.models import Placement, PlacementRecord, Worker
from jobfeed.placements.repository import PlacementRepository
from jobfeed.vacancies import VacancyRepository

UNITS = {SalaryUnit.month: "元/月", SalaryUnit.day: "元/天", SalaryUnit.hour: "元/小时"}


def pay_of(vacancy: Vacancy | None) -> str:
    """The vacancy's pay as the ledger writes it, e.g. ``5000-8000元/月``."""
    if vacancy is None or (vacancy.salary_min is None and vacancy.salary_max is None):
        return ""
    low, high = vacancy.salary_min, vacancy.salary_max
    amount = (
        f"{low}-{high}"
        if low is not None and high is not None and low != high
        else str(low or high)
    )
    return amount + UNITS[vacancy.salary_unit]


class Hiring:
    def __init__(self, placements: PlacementRepository, brokers: BrokerRepository) -> None:
        self.placements = placements
        self.brokers = brokers

    async def hired(
        self, application: Application, vacancy: Vacancy | None, start: date
    ) -> Placement | None:
        """File the placement of a hired application (once; a replay finds it filed).

        None when the application is not hired or its applicant was forgotten: a
        placement without the worker could never be checked on."""
        if application.status is not ApplicationStatus.hired:
            return None
        if application.resume is None or application.applicant_id is None:
            return None
        resume = application.resume
        broker = await self.brokers.source_of(application.applicant_id)
        record = PlacementRecord(
            number=application.number,
            vacancy_id=application.vacancy_id,
            employer=application.employer,
            trade=application.vacancy_title,
            province=vacancy.province if vacancy else "",
            city=vacancy.city if vacancy else "",
            recruiter_id=application.recruiter_id,
            created_at=self.placements.clock(),
            source=application.source,
        )
        worker = Worker(
            person=application.applicant_id, name=resume.name, phone=resume.phone, home=resume.city
        )
        await self.placements.create(
            record,
            start=start,
            pay=pay_of(vacancy),
            broker=broker.code if broker else None,
            worker=worker,
        )
        return await self.placements.get(application.number)


async def place_and_tell(
    hiring: Hiring,
    vacancies: VacancyRepository,
    notifier: PlacementNotifier,
    application: Application,
) -> Placement | None:
    """已录用 from any surface (the card, the API): file the placement, tell the worker."""
    vacancy = await vacancies.get(application.vacancy_id)
    placement = await hiring.hired(application, vacancy, hiring.placements.today())
    if placement is None or placement.worker is None:
        return None
    await notifier.placed(placement.worker.person, placement)
    return placement
