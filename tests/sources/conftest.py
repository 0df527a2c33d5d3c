"""Fixtures for the feed pipeline: a real importer on the test's Redis prefix."""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from zoneinfo import ZoneInfo

import pytest
from redis.asyncio import Redis

from jobfeed.keys import Keys
from jobfeed.places import Places
from jobfeed.sources.importer import VacancyImporter
from jobfeed.sources.ledger import FeedLedger
from jobfeed.sources.normalise import Normaliser
from jobfeed.sources.place import PlaceResolver
from jobfeed.vacancies import VacancyRepository

SHANGHAI = ZoneInfo("Asia/Shanghai")


@cache
def places() -> PlaceResolver:
    return PlaceResolver(Places.load())


def make_normaliser(expiry_days: int = 30) -> Normaliser:
    return Normaliser(places(), SHANGHAI, timedelta(days=expiry_days))


@pytest.fixture
def vacancies(redis: Redis, keys: Keys) -> VacancyRepository:
    return VacancyRepository(redis, keys)


@pytest.fixture
def ledger(redis: Redis, keys: Keys) -> FeedLedger:
    return FeedLedger(redis, keys)


@pytest.fixture
def importer(vacancies: VacancyRepository, ledger: FeedLedger) -> VacancyImporter:
    return VacancyImporter(vacancies, ledger, make_normaliser(), batch_size=100)
