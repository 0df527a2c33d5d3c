"""The scam and spam rules on their own, and on the labelled samples."""

from __future__ import annotations

import pytest

from bench.moderation import load, probe
from jobfeed.groupcare.scams import Probe, ScamChecker, message_key


@pytest.fixture(scope="module")
def checker() -> ScamChecker:
    return ScamChecker.load()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("先交500押金才能安排进厂", "fee"),
        ("體檢費300交給帶隊老師", "fee"),  # traditional characters
        ("服装费150自理，先交", "fee"),
        ("刷单兼职，日赚500", "fee"),
        ("加V：zp88888 详聊", "contact"),
        ("进群：t.me/joinchat/AbCdEf123", "link"),
        ("备用群：@zhaogong_backup", "link"),
    ],
)
def test_scams_are_caught(checker: ScamChecker, text: str, kind: str) -> None:
    verdict = checker.check(Probe(text))
    assert verdict is not None and verdict.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "包吃住吗 押金退吗?",
        "要交押金吗？",
        "本公司不收取任何费用",
        "谨防收押金的骗子",
        "押金全免，体检费公司承担",
        "有人让我先交钱，是不是骗子？",
        "招聘：电焊工5名，月薪8000-12000，包吃住，地点包头，点下面报名按钮",
        "报名点这里 https://t.me/zhaopin_test_bot?start=apply_1",  # the bot's own link
    ],
)
def test_questions_warnings_and_lawful_posts_pass(checker: ScamChecker, text: str) -> None:
    assert checker.with_links(("t.me/zhaopin_test_bot",)).check(Probe(text)) is None


def test_pictures_cards_and_mentions(checker: ScamChecker) -> None:
    assert checker.check(Probe("扫码进群", picture=True)) is not None
    assert checker.check(Probe("扫码进群")) is None  # words alone: no picture to scan
    assert checker.check(Probe("宿舍照片", picture=True)) is None
    assert checker.check(Probe(contact_card=True)) is not None
    assert checker.check(Probe("看过来", mentions=checker.mentions_threshold)) is not None
    assert checker.check(Probe("@zhangsan 在吗", mentions=1)) is None


def test_exceptions_let_a_restored_message_through(checker: ScamChecker) -> None:
    text = "报名费200元，微信转我"
    verdict = checker.check(Probe(text))
    assert verdict is not None
    assert checker.check(Probe(text), frozenset({message_key(text)})) is None
    assert checker.check(Probe("押金500转给我"), frozenset({message_key(text)})) is not None


def test_on_the_labelled_samples_false_positives_stay_under_one_percent(
    checker: ScamChecker,
) -> None:
    chatter, scams = load("chatter"), load("scams")
    assert len(chatter) >= 200 and len(scams) >= 200
    false_positives = sum(checker.check(probe(row)) is not None for row in chatter)
    caught = sum(checker.check(probe(row)) is not None for row in scams)
    assert false_positives / len(chatter) <= 0.01
    assert caught / len(scams) >= 0.95
