"""Sample data and an index over it, shared by the search tests (read-only: do not mutate)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from jobfeed.models import Vacancy
from jobfeed.search import SearchIndex

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
NOW = datetime(2026, 11, 20, 8, tzinfo=UTC)


def make_vacancy(vacancy_id: str, title: str, city: str = "天津", **extra: Any) -> Vacancy:
    """A valid vacancy for hand-made feeds; open for a month from a day before ``NOW``."""
    fields: dict[str, Any] = {
        "id": vacancy_id,
        "title": title,
        "employer": "测试公司",
        "city": city,
        "province": extra.pop("province", "天津" if city == "天津" else "未知"),
        "salary_min": 4000,
        "salary_max": 6000,
        "posted_at": NOW - timedelta(days=1),
        "expires_at": NOW + timedelta(days=30),
    }
    fields.update(extra)
    return Vacancy(**fields)


def load_queries(name: str = "queries.jsonl") -> list[dict[str, Any]]:
    with (SAMPLES / name).open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


@pytest.fixture(scope="session")
def vacancies() -> list[Vacancy]:
    with (SAMPLES / "vacancies.jsonl").open(encoding="utf-8") as lines:
        return [Vacancy.model_validate_json(line) for line in lines]


@pytest.fixture(scope="session")
def now(vacancies: list[Vacancy]) -> datetime:
    """A moment when every sample vacancy is open (the data has fixed dates)."""
    moment = max(v.posted_at for v in vacancies)
    assert all(v.expires_at is None or v.expires_at > moment for v in vacancies)
    return moment


@pytest.fixture(scope="session")
def sample_index(vacancies: list[Vacancy], now: datetime) -> SearchIndex:
    index = SearchIndex()
    index.build(vacancies, now)
    return index


@pytest.fixture(scope="session")
def category_of(vacancies: list[Vacancy]) -> dict[str, str]:
    """Vacancy id -> trade category, as the sample queries' relevance judgements give it."""
    found = {}
    for query in load_queries():
        if query["category"] and not query["city"]:
            for vacancy_id in query["relevant_ids"]:
                found[vacancy_id] = query["category"]
    assert len(found) == len(vacancies)
    return found
