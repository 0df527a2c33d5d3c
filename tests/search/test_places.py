"""jobfeed.places: China's divisions as job feeds and job seekers write them."""

from __future__ import annotations

import pytest

from jobfeed.places import PlaceLevel, Places, strip_suffix


@pytest.fixture(scope="module")
def places() -> Places:
    return Places.load()


def test_table_covers_china(places: Places) -> None:
    assert len(places) > 3000
    provinces = [places.get(n) for n in ["北京", "内蒙古", "新疆", "广西", "香港", "台湾"]]
    assert all(p is not None and p.level is PlaceLevel.province for p in provinces)
    for name in ["烟台", "通辽", "恩施", "延边", "阿克苏", "兴安盟"]:
        place = places.get(name)
        assert place is not None
        assert place.level is PlaceLevel.prefecture, name


@pytest.mark.parametrize(
    ("city", "province", "expected"),
    [
        ("烟台市", "山东省", ("烟台", "山东")),
        ("紫阳县", "陕西", ("紫阳", "陕西")),
        ("紫阳", None, ("紫阳", "陕西")),
        ("库伦旗", "内蒙古自治区", ("库伦旗", "内蒙古")),
        ("库伦", "内蒙古", ("库伦旗", "内蒙古")),
        ("红寺堡区", "宁夏回族自治区", ("红寺堡", "宁夏")),
        ("霍林郭勒市", "内蒙古", ("霍林郭勒", "内蒙古")),
        ("北京市", None, ("北京", "北京")),
        ("恩施土家族苗族自治州", "湖北", ("恩施", "湖北")),
        ("通辽市开鲁县", "", ("开鲁", "内蒙古")),
        ("某某开发区", "河北省", ("某某开发", "河北")),
    ],
)
def test_normalise(
    places: Places, city: str, province: str | None, expected: tuple[str, str]
) -> None:
    assert places.normalise(city, province) == expected


def test_sample_cities_are_known(places: Places) -> None:
    for name in [
        "武山",
        "红寺堡",
        "中宁",
        "开鲁",
        "库伦旗",
        "扎鲁特旗",
        "霍林郭勒",
        "吴忠",
        "天水",
    ]:
        assert places.get(name) is not None, name


def test_province_of(places: Places) -> None:
    assert places.province_of("紫阳") == "陕西"
    assert places.province_of("呼市") == "内蒙古"
    assert places.province_of("乌鲁木齐市") == "新疆"
    assert places.province_of("火星") is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("天津招焊工吗", "天津"),
        ("内蒙古包头电焊工", "包头"),
        ("内蒙电焊", "内蒙古"),
        ("呼市 保姆", "呼和浩特"),
        ("扎鲁特旗哪里招护工", "扎鲁特旗"),
        ("北京朝阳 保安", "朝阳"),
        ("辽宁朝阳 保安", "朝阳"),
        ("找砌筑工，烟台附近的", "烟台"),
        ("公安县 司机", "公安"),
    ],
)
def test_find_in(places: Places, text: str, name: str) -> None:
    found = places.find_in(text)
    assert found is not None
    assert found.place.name == name


def test_find_in_disambiguates_by_province(places: Places) -> None:
    beijing = places.find_in("北京朝阳 保安")
    liaoning = places.find_in("辽宁朝阳 保安")
    assert beijing is not None and liaoning is not None
    assert beijing.place.province == "北京"
    assert liaoning.place.province == "辽宁"


def test_everyday_words_need_their_suffix(places: Places) -> None:
    assert places.find_in("有公安吗") is None
    assert places.find_in("大家好") is None


def test_contains_and_children(places: Places) -> None:
    ankang, ziyang = places.get("安康"), places.get("紫阳")
    assert ankang is not None and ziyang is not None
    assert ankang.contains(ziyang)
    assert not ziyang.contains(ankang)
    assert ziyang in places.children(ankang)
    shaanxi = places.get("陕西")
    assert shaanxi is not None and shaanxi.contains(ziyang)


def test_strip_suffix() -> None:
    assert strip_suffix("烟台市") == "烟台"
    assert strip_suffix("礼县") == "礼县"
    assert strip_suffix("库伦旗") == "库伦旗"
