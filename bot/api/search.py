"""``/api/search``: the search the bot answers job seekers with, for integrations and checks.

Search analytics are under ``/api/stats/search`` (bot.api.stats); API searches are not
counted there: they are not job seekers asking.
"""

from __future__ import annotations

from typing import Annotated, Any

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from bot.api.registry import Api, ApiError
from bot.appkeys import SEARCH
from bot.params import ASCII_DIGITS, Integer
from jobfeed.search.saved import MAX_CITY, MAX_TEXT, SavedSearch

QueryText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)
]


class SearchQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    q: QueryText = Field(description="what a job seeker would type, e.g. 天津招焊工吗")
    limit: Integer = Field(default=10, ge=1, le=100)
    offset: Integer = Field(default=0, ge=0, le=10_000)
    city: str | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_CITY,
        description="where to look when the query names no place",
    )
    # Bounds before the validator: pydantic writes them as minimum/maximum only so.
    min_pay: Annotated[int, Field(ge=0, le=1_000_000), ASCII_DIGITS] | None = Field(
        default=None, description="monthly CNY; day rates count 26 days"
    )


class Matched(BaseModel):
    trade: str = Field(description="the trade as the title names it; empty for a place search")
    place: str | None = Field(description="where the hit is, when the query asked for a place")
    wishes: list[str] = Field(description="wishes of the query it meets: 8000以上, 包吃住")
    tolerances: list[str] = Field(description="how the query was read: 同音, 形近, 地点附近")


class Hit(BaseModel):
    id: str
    title: str
    city: str
    score: float = Field(description="0-100; below the confidence threshold nothing is returned")
    matched: Matched = Field(description="why it is an answer")


class SearchAnswer(BaseModel):
    query: str
    total: int = Field(description="hits in all, for paging")
    place: str | None = Field(description="the place searched: named in the query, else city")
    in_place: bool = Field(description="false: nothing in the place, hits are from elsewhere")
    unmet: list[str] = Field(description="wishes of the query that no vacancy found meets")
    best_pay: int | None = Field(description="pay wish unmet: the most a vacancy found pays")
    hits: list[Hit]


def setup(api: Api) -> None:
    @api.route(
        "GET",
        "/api/search",
        summary="Search open vacancies as the bot does: vacancy ids, titles and scores",
        tag="search",
        query=SearchQuery,
        response=SearchAnswer,
        errors={503: "the search index is still loading, or Redis is unavailable"},
    )
    async def search(request: web.Request, query: SearchQuery) -> Any:
        service = request.app[SEARCH]
        if not service.loaded:
            raise ApiError(503, "the search index is still loading; try again shortly")
        wanted = SavedSearch(text=query.q, city=query.city, min_pay=query.min_pay)
        result = service.lookup(wanted, query.limit, query.offset)
        return SearchAnswer(
            query=query.q,
            total=result.total,
            place=result.place.name if result.place else None,
            in_place=result.in_place,
            unmet=list(result.unmet),
            best_pay=result.best_pay,
            hits=[
                Hit(
                    id=h.vacancy_id,
                    title=h.title,
                    city=h.city,
                    score=h.score,
                    matched=Matched(
                        trade=h.matched.trade,
                        place=h.matched.place,
                        wishes=list(h.matched.wishes),
                        tolerances=list(h.matched.tolerances),
                    ),
                )
                for h in result.hits
            ],
        )
