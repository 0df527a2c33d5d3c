"""Apply deep-link payloads (Telegram, ``handlers.deeplinks``): built for any vacancy id,
parsed defensively."""

from __future__ import annotations

import pytest

from handlers.deeplinks import ApplyLink, apply_payload, parse_apply
from jobfeed.applications.masking import mask_phone


def test_round_trip_within_telegrams_limit() -> None:
    longest = "v" * 40
    payload = apply_payload(longest)
    assert len(payload) <= 64
    assert parse_apply(payload) == ApplyLink(longest)
    assert parse_apply("resume") == ApplyLink(None)


@pytest.mark.parametrize(
    "payload", [None, "", "apply_", "apply_" + "x" * 41, "apply_a b", "apply_../x", "help"]
)
def test_anything_else_is_not_a_link(payload: str | None) -> None:
    assert parse_apply(payload) is None


def test_ids_that_cannot_travel_are_refused() -> None:
    with pytest.raises(ValueError, match="deep link"):
        apply_payload("天津-1")


def test_masking() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("123") == "***"
