"""Saved searches and their deep-link payloads, against a real Redis."""

from __future__ import annotations

from datetime import timedelta

import pytest
from redis.asyncio import Redis

from handlers.deeplinks import parse_search, search_payload
from jobfeed.keys import Keys
from jobfeed.search.saved import SavedSearch, SavedSearches


async def test_a_search_round_trips_under_a_short_stable_token(redis: Redis, keys: Keys) -> None:
    saved = SavedSearches(redis, keys, ttl=timedelta(hours=1))
    search = SavedSearch(text="天津 电焊工 & <b>", city=None, min_pay=5000)
    token = await saved.save(search)
    assert token == await saved.save(SavedSearch(text="天津 电焊工 & <b>", min_pay=5000))
    assert token != SavedSearch(text="天津 电焊工 & <b>", min_pay=8000).token
    assert await saved.get(token) == search
    assert 0 < await redis.ttl(keys.search_saved(token)) <= 3600
    payload = search_payload(token)
    assert len(payload) <= 64 and parse_search(payload) == token


async def test_unknown_malformed_or_corrupt_tokens_give_nothing(redis: Redis, keys: Keys) -> None:
    saved = SavedSearches(redis, keys)
    assert await saved.get("A" * 16) is None
    assert await saved.get("../../etc") is None
    await redis.set(keys.search_saved("B" * 16), '{"text": ""}')
    assert await saved.get("B" * 16) is None


@pytest.mark.parametrize(
    "payload", [None, "", "search_", "search_short", "search_" + "A" * 17, "apply_x", "search_!!"]
)
def test_bad_payloads_do_not_parse(payload: str | None) -> None:
    assert parse_search(payload) is None


def test_a_payload_needs_a_token() -> None:
    with pytest.raises(ValueError, match="token"):
        search_payload("天津")
