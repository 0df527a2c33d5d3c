"""Pay strings as feeds write them."""

from __future__ import annotations

import pytest

from jobfeed.models import SalaryUnit
from jobfeed.sources.pay import Pay, PayError, parse_pay

M, D, H = SalaryUnit.month, SalaryUnit.day, SalaryUnit.hour


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5000-8000元/月", Pay(5000, 8000, M)),
        ("５０００～８０００元／月", Pay(5000, 8000, M)),
        ("3000至5000元", Pay(3000, 5000, M)),
        ("5,000-8,000", Pay(5000, 8000, M)),
        ("日结200", Pay(200, 200, D)),
        ("8k-10k", Pay(8000, 10000, M)),
        ("8-10K", Pay(8000, 10000, M)),
        ("1.2万-1.5万", Pay(12000, 15000, M)),
        ("月薪6千", Pay(6000, 6000, M)),
        ("面议", Pay(None, None, M)),
        ("待遇优厚", Pay(None, None, M)),
        ("150元/天", Pay(150, 150, D)),
        ("25元/小时", Pay(25, 25, H)),
        ("时薪25", Pay(25, 25, H)),
        ("6000以上", Pay(6000, None, M)),
        ("4000元以下", Pay(None, 4000, M)),
        ("底薪3000+提成", Pay(3000, None, M)),
        ("年薪12万", Pay(10000, 10000, M)),
    ],
)
def test_pay_strings_are_understood(text: str, expected: Pay) -> None:
    assert parse_pay(text) == expected


@pytest.mark.parametrize("text", ["月薪5", "13912345678", "9000-5000元/月", "日结99999"])
def test_numbers_we_cannot_trust_are_an_error_not_a_guess(text: str) -> None:
    with pytest.raises(PayError):
        parse_pay(text)
