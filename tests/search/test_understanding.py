"""How job seekers really write (issue 14), in our own wording: other trades, other look-alike
and sound-alike characters, other descriptions and wishes than ``samples/queries_v2.jsonl``;
and ordinary words that must stay ordinary words.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from jobfeed.models import Vacancy
from jobfeed.search import SearchIndex
from jobfeed.search.index import NEARBY
from jobfeed.search.lexicon import SHAPE, SOUND
from tests.search.conftest import NOW, make_vacancy

# (query, trade category its first hit must be of, how it was read)
MISWRITTEN = [
    # look-alikes: same sound part beside another radical, or a part for the whole
    ("月搜", "maternity", SHAPE),  # 嫂
    ("服务贝", "waiter", SHAPE),  # 员
    ("面点帅", "cook", SHAPE),  # 师
    ("叉库司机", "forklift", SHAPE),  # 车
    ("仓库管里员", "warehouse", SOUND),  # 理
    # sound-alikes a pinyin keyboard offers
    ("保按", "security", SOUND),
    ("钟点攻", "housekeeper", SOUND),
    ("厨狮", "cook", SOUND),
    ("快迪员", "courier", SOUND),
    ("修角师", "pedicure", SOUND),
    ("养植工", "livestock", SOUND),
    ("装栽机", "heavy_machine", SOUND),
]

DESCRIBED = [
    ("喂猪的", "livestock"),
    ("开出租的", "driver"),
    ("送外卖的", "courier"),
    ("带娃娃的", "infant_care"),
    ("踩缝纫机的", "sewing"),
    ("拧螺丝钉", "general_worker"),
    ("给老板开车", "driver"),
    ("在饭店上菜的", "waiter"),
    ("摘棉花的活", "picker"),
    ("绣十字绣的", "embroidery"),
]

# Words and small talk that the new tolerance must not turn into trades.
ORDINARY = [
    "村里今天停电了",
    "官方通知",
    "电视坏了",
    "开会了",
    "快的很",
    "明天见",
    "工资发了吗",
    "好的好的",
    "加油",
    "我在家看电视",
    "吃饭了吗",
    "大家辛苦了",
    "路上注意安全",
    "哈哈哈",
    "收到",
    "我去接孩子",
    "今天好热啊",
    "谁有充电器",
    "下午几点集合",
]


@pytest.mark.parametrize(("text", "category", "kind"), MISWRITTEN)
def test_a_character_written_for_another(
    text: str,
    category: str,
    kind: str,
    *,
    sample_index: SearchIndex,
    category_of: dict[str, str],
    now: datetime,
) -> None:
    result = sample_index.search(text, now=now)
    assert result.hits, text
    assert category_of[result.hits[0].vacancy_id] == category
    assert kind in result.hits[0].matched.tolerances
    assert sample_index.is_job_query(text)


@pytest.mark.parametrize(("text", "category"), DESCRIBED)
def test_a_trade_described_instead_of_named(
    text: str, category: str, sample_index: SearchIndex, category_of: dict[str, str], now: datetime
) -> None:
    result = sample_index.search(text, now=now)
    assert [category_of[h.vacancy_id] for h in result.hits] == [category] * 3, text


def test_trades_outside_the_sample_feed_are_read_the_same_way() -> None:
    index = SearchIndex()
    index.build(
        [
            make_vacancy("P-1", "油漆工"),
            make_vacancy("C-1", "保洁员"),
            make_vacancy("M-1", "按摩师"),
            make_vacancy("S-1", "保安"),
        ],
        NOW,
    )
    for text, wanted in [
        ("油膝工", "P-1"),  # 漆 and 膝 share 桼
        ("保诘员", "C-1"),  # 洁 and 诘 share 吉
        ("按魔师", "M-1"),  # 摩 and 魔 share 麻
        ("扫大街的", "C-1"),
        ("打扫卫生的活", "C-1"),
        ("刷油漆的", "P-1"),
        ("给人按摩的", "M-1"),
        ("看厂的", "S-1"),
    ]:
        assert [h.vacancy_id for h in index.search(text, now=NOW).hits] == [wanted], text


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_words_do_not_turn_into_trades(text: str, sample_index: SearchIndex) -> None:
    query = sample_index.parse(text)
    assert not query.concepts, (text, query.terms)
    assert not sample_index.is_job_query(text)


def test_a_trade_is_not_read_as_a_longer_one(
    sample_index: SearchIndex, category_of: dict[str, str], now: datetime
) -> None:
    """电工 stays an electrician, 司机 a driver: tolerance swaps a character, never adds one."""
    for text, category in [("电工", "electrician"), ("焊工", "welder"), ("车工", "sewing")]:
        result = sample_index.search(text, now=now)
        assert {category_of[h.vacancy_id] for h in result.hits} == {category}, text
        assert not result.query.tolerances


def test_voice_transcript_with_fillers_and_a_place(
    sample_index: SearchIndex, category_of: dict[str, str], now: datetime
) -> None:
    result = sample_index.search("嗯 那个 我想问问 包头 有没有 开铲车的 活儿 啊", now=now)
    assert result.place is not None and result.place.name == "包头"
    assert result.hits
    assert all(h.city == "包头" for h in result.hits)
    assert {category_of[h.vacancy_id] for h in result.hits} == {"heavy_machine"}
    assert all(h.matched.place == "包头" for h in result.hits)


def by_id(vacancies: list[Vacancy]) -> dict[str, Vacancy]:
    return {v.id: v for v in vacancies}


@pytest.mark.parametrize(
    ("text", "monthly"),
    [
        ("月薪七千以上的保安", 7000),
        ("一天300以上的普工", 7800),  # a day rate counts 26 days
        ("焊工 8k以上", 8000),
        ("挖机 一万以上", 10000),
        ("时薪40的厨师", 40 * 208),
        ("工资最少九千五的电工", 9500),
    ],
)
def test_pay_wishes_put_vacancies_paying_that_first(
    text: str, monthly: int, sample_index: SearchIndex, vacancies: list[Vacancy], now: datetime
) -> None:
    result = sample_index.search(text, now=now)
    assert result.query.wishes.min_pay == monthly
    stored = by_id(vacancies)
    assert result.hits
    for hit in result.hits:
        assert (stored[hit.vacancy_id].salary_max or 0) >= monthly, text
        assert f"{monthly}以上" in hit.matched.wishes


@pytest.mark.parametrize(
    ("text", "any_of"),
    [
        ("保安 包住", [{"包住宿"}, {"包吃包住"}]),
        ("厨师要交五险一金的", [{"五险一金"}]),
        ("管吃住的普工", [{"包吃包住"}, {"包住宿", "提供工作餐"}]),
        ("叉车 能报销车费吗", [{"报销路费"}]),
        ("月嫂 有专车接送的", [{"点对点专车接送"}]),
    ],
)
def test_benefit_wishes_put_vacancies_giving_them_first(
    text: str,
    any_of: list[set[str]],
    sample_index: SearchIndex,
    vacancies: list[Vacancy],
    now: datetime,
) -> None:
    result = sample_index.search(text, now=now)
    stored = by_id(vacancies)
    assert result.hits and not result.unmet
    for hit in result.hits:
        benefits = set(stored[hit.vacancy_id].benefits)
        assert any(need <= benefits for need in any_of), (text, benefits)
        assert hit.matched.wishes


def test_an_unmet_wish_is_named_with_the_nearest(
    sample_index: SearchIndex, vacancies: list[Vacancy], now: datetime
) -> None:
    result = sample_index.search("有没有20000以上的保安", now=now)
    assert result.unmet == ("20000以上",)
    top = max(v.salary_max or 0 for v in vacancies if v.id in {h.vacancy_id for h in result.hits})
    assert result.best_pay is not None and result.best_pay >= top
    assert result.hits  # the nearest are still shown
    # A wish no vacancy of the sample meets (none is paid by the day).
    result = sample_index.search("日结的普工", now=now)
    assert result.unmet == ("日结",) and result.hits


def test_a_wish_alone_is_a_query(sample_index: SearchIndex) -> None:
    assert sample_index.is_job_query("包吃住的")
    assert sample_index.is_job_query("有日结的吗")


def test_the_seekers_age_and_gender_exclude_only_what_the_vacancy_excludes() -> None:
    index = SearchIndex()
    index.build(
        [
            make_vacancy("A-1", "保洁员", requirements="18-45岁，身体健康"),
            make_vacancy("A-2", "保洁员", requirements="55岁以下"),
            make_vacancy("A-3", "保洁员", requirements="限男性"),
            make_vacancy("A-4", "保洁员", requirements="男女不限"),
            make_vacancy("A-5", "保洁员"),
        ],
        NOW,
    )
    ids = {h.vacancy_id for h in index.search("保洁 女的 50岁", limit=10, now=NOW).hits}
    assert ids == {"A-2", "A-4", "A-5"}
    ids = {h.vacancy_id for h in index.search("保洁 男 30岁", limit=10, now=NOW).hits}
    assert ids == {"A-1", "A-2", "A-3", "A-4", "A-5"}
    # No facts stated: nothing is filtered on them.
    assert len(index.search("保洁", limit=10, now=NOW).hits) == 5


def test_nearby_places_are_said(sample_index: SearchIndex, now: datetime) -> None:
    result = sample_index.search("红寺堡 电焊工", now=now)
    if not result.in_place:
        assert all(NEARBY in h.matched.tolerances for h in result.hits)
    index = SearchIndex()
    index.build([make_vacancy("N-1", "叉车司机", city="北京", province="北京")], NOW)
    result = index.search("天津 叉车", now=NOW)
    assert not result.in_place
    assert result.hits[0].matched.tolerances == (NEARBY,)
