"""Query parsing: fillers, places, trades, and telling job queries from chatter."""

from __future__ import annotations

import pytest

from jobfeed.search import QueryParser
from jobfeed.search.index import default_lexicon, default_places


@pytest.fixture(scope="module")
def parser() -> QueryParser:
    return QueryParser(default_lexicon(), default_places())


@pytest.mark.parametrize(
    ("text", "core", "place"),
    [
        ("有没有电焊的活", "电焊", None),
        ("天津招焊工吗", "焊工", "天津"),
        ("我想干货车司机，工资多少", "货车司机", None),
        ("找质检员，湛江附近的", "质检员", "湛江"),
        ("/jobs 打包员", "打包员", None),
        ("/jobs@ZhaopinBot 打包员", "打包员", None),
        ("內蒙古包頭 電焊工", "电焊工", "包头"),
        ("招女工吗", "", None),
        ("ＣＮＣ操作員　惠州", "cnc操作员", "惠州"),
    ],
)
def test_core_and_place(parser: QueryParser, text: str, core: str, place: str | None) -> None:
    query = parser.parse(text)
    assert query.core == core
    assert (query.place.name if query.place else None) == place


def test_head_noun_yields_to_a_specific_trade(parser: QueryParser) -> None:
    assert parser.parse("叉车司机").concepts == {"forklift"}
    assert parser.parse("司机").concepts == {"driver"}
    assert parser.parse("铲运机操作工").concepts == {"heavy_machine"}
    assert parser.parse("操作工").concepts == {"general_worker"}


def test_ambiguous_word_keeps_both_trades(parser: QueryParser) -> None:
    assert parser.parse("车工").concepts == {"machining", "sewing"}


def test_two_syllable_sound_alike_only_as_a_word_of_its_own(parser: QueryParser) -> None:
    assert parser.parse("月扫").concepts == {"maternity"}
    assert parser.parse("有没有店工的活").concepts == {"electrician"}
    assert parser.parse("花艺师").concepts == set()  # 艺师 sounds like 医师, but is part of a word


def test_place_that_sounds_like_a_trade(parser: QueryParser) -> None:
    alone = parser.parse("宝安")
    assert alone.place is None
    assert alone.concepts == {"security"}
    with_trade = parser.parse("宝安 普工")
    assert with_trade.place is not None
    assert with_trade.place.name == "宝安"


@pytest.mark.parametrize(
    "text",
    ["电焊工", "天津 电焊工", "有没有宇航员的工作", "招保安吗？", "pugong", "月扫", "/jobs 木工"],
)
def test_job_queries(parser: QueryParser, text: str) -> None:
    assert parser.parse(text).looks_like_job_query()


@pytest.mark.parametrize(
    "text",
    [
        "早上好",
        "群主辛苦了",
        "[表情]",
        "这个工资可以",
        "有人一起回家吗",
        "我老公是电工今天不回来了",
        "保安大哥辛苦了",
        "",
        "司机师傅开车慢点吧",
    ],
)
def test_chatter(parser: QueryParser, text: str) -> None:
    assert not parser.parse(text).looks_like_job_query()


def test_lexicon_is_general(parser: QueryParser) -> None:
    lexicon = parser.lexicon
    assert len(lexicon) > 700
    assert len(lexicon.concepts) > 70
    assert lexicon.term("挖机") is not None
    assert lexicon.term("養老護理員") is not None  # terms are looked up normalised
