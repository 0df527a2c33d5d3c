"""Addresses name their channel; their text form is read back strictly."""

from __future__ import annotations

import pytest

from jobfeed.channels import Address


def test_an_address_reads_back_from_its_text() -> None:
    address = Address("telegram", "-100123")
    assert str(address) == "telegram:-100123"
    assert Address.parse("telegram:-100123") == address
    assert address.chat_id == -100123
    assert Address.parse("wecom-robot:room:7").chat == "room:7"  # the first colon splits
    assert Address.of(-100123) == address
    assert Address.of(address) is address


@pytest.mark.parametrize(
    "text",
    ["-100123", "telegram:", ":-100", "Telegram:1", "tele gram:1", "telegram:1 2", "telegram:1|2"],
)
def test_a_malformed_address_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Address.parse(text)


def test_addresses_sort_numbers_as_numbers() -> None:
    found = [Address("telegram", "-5"), Address("telegram", "-100"), Address("x", "b")]
    assert sorted(found, key=lambda a: a.sort_key) == [found[1], found[0], found[2]]
