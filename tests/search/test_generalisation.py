"""Queries worded unlike the sample file, judged against the sample's trade categories.

A guard against tuning to ``samples/queries.jsonl``: every form of query, new words for the
same trades, professions the feed has no vacancy for, and small talk.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from jobfeed.models import Vacancy
from jobfeed.search import SearchIndex

# (query, trade category its hits must include)
FOUND = [
    # other words for the same trades
    ("电焊", "welder"),
    ("氩弧焊", "welder"),
    ("保姆", "housekeeper"),
    ("家政", "housekeeper"),
    ("钟点工", "housekeeper"),
    ("叉车", "forklift"),
    ("挖掘机", "heavy_machine"),
    ("装载机", "heavy_machine"),
    ("泥瓦工", "bricklayer"),
    ("厨子", "cook"),
    ("面点", "cook"),
    ("传菜", "waiter"),
    ("端盘子", "waiter"),
    ("门卫", "security"),
    ("库管", "warehouse"),
    ("快递", "courier"),
    ("养老护理", "elder_care"),
    ("陪护", "elder_care"),
    ("育儿嫂", "infant_care"),
    ("带孩子", "infant_care"),
    ("足疗", "pedicure"),
    ("绣花", "embroidery"),
    ("雕刻工", "jade"),
    ("编织", "wicker"),
    ("摘枸杞", "picker"),
    ("拾棉花", "picker"),
    ("饲养员", "livestock"),
    ("电解铝", "electrolysis"),
    ("数控", "cnc"),
    ("品管", "qc"),
    ("流水线", "general_worker"),
    ("打螺丝", "general_worker"),
    ("光伏", "installer"),
    ("修车", "auto_repair"),
    ("大车司机", "driver"),
    ("绑钢筋", "rebar"),
    ("木匠", "carpenter"),
    ("线束", "wire_harness"),
    ("制茶", "tea"),
    ("发酵", "fermentation"),
    ("安保", "security"),
    ("装修木工", "carpenter"),
    # sentences
    ("有没有电焊的活", "welder"),
    ("哪里招保姆", "housekeeper"),
    ("求职：叉车司机", "forklift"),
    ("我会开挖机，有活吗", "heavy_machine"),
    ("想找个保安的工作", "security"),
    ("本人会电焊，求工作", "welder"),
    ("急找月嫂工作", "maternity"),
    ("内蒙 电焊工", "welder"),
    ("有保安的工作吗", "security"),
    ("我想当厨师", "cook"),
    # traditional characters
    ("電焊", "welder"),
    ("叉車司機", "forklift"),
    ("廚師", "cook"),
    ("養殖工", "livestock"),
    ("門衛", "security"),
    ("質檢員", "qc"),
    ("縫紉", "sewing"),
    ("刺繡", "embroidery"),
    ("包裝工", "packer"),
    ("護工", "elder_care"),
    # pinyin, joined and spaced
    ("baoan", "security"),
    ("bao an", "security"),
    ("dian gong", "electrician"),
    ("hangong", "welder"),
    ("chushi", "cook"),
    ("yuesao", "maternity"),
    ("baomu", "housekeeper"),
    ("menwei", "security"),
    ("zhijian", "qc"),
    ("chache", "forklift"),
    ("wajueji", "heavy_machine"),
    ("dian han gong", "welder"),
    ("Bao Mu", "housekeeper"),
    ("kuai di yuan", "courier"),
    ("yangzhi", "livestock"),
    ("chachesiji", "forklift"),
    # typos from pinyin keyboards
    ("电汗工", "welder"),
    ("保母", "housekeeper"),
    ("叉车私机", "forklift"),
    ("厨狮", "cook"),
    ("质检圆", "qc"),
    ("挖掘鸡", "heavy_machine"),
    ("养值工", "livestock"),
    ("缝认工", "sewing"),
    ("门为", "security"),
    ("育婴师父", "infant_care"),
    ("仓库管里员", "warehouse"),
    ("修交师", "pedicure"),
    ("有没有店工的活", "electrician"),
]

# A second batch, written after the code was done and run once, blind.
FOUND += [
    ("还招氩弧焊工不", "welder"),
    ("二保焊有活吗", "welder"),
    ("焊工师傅哪里要人", "welder"),
    ("钟点工阿姨", "housekeeper"),
    ("找个做家政的活", "housekeeper"),
    ("住家阿姨", "housekeeper"),
    ("养老院招护理员吗", "elder_care"),
    ("照顾老人的活", "elder_care"),
    ("医院陪护", "elder_care"),
    ("金牌月嫂招吗", "maternity"),
    ("母婴护理员", "maternity"),
    ("育儿阿姨", "infant_care"),
    ("看大门的", "security"),
    ("小区门卫", "security"),
    ("仓库理货", "warehouse"),
    ("送快递的活", "courier"),
    ("开叉车的", "forklift"),
    ("挖机师傅", "heavy_machine"),
    ("开装载机", "heavy_machine"),
    ("砌砖师傅", "bricklayer"),
    ("支模木工", "carpenter"),
    ("服装厂车工", "sewing"),
    ("电子厂线束", "wire_harness"),
    ("装配线束", "wire_harness"),
    ("加工中心", "cnc"),
    ("品质检验", "qc"),
    ("普工流水线", "general_worker"),
    ("车间操作工", "general_worker"),
    ("餐厅传菜", "waiter"),
    ("面点师傅", "cook"),
    ("足浴技师", "pedicure"),
    ("湘绣师傅", "embroidery"),
    ("玉雕学徒", "jade"),
    ("柳编手艺人", "wicker"),
    ("茶叶加工", "tea"),
    ("枸杞采摘", "picker"),
    ("养牛的活", "livestock"),
    ("电解车间", "electrolysis"),
    ("发酵车间", "fermentation"),
    ("光伏板安装", "installer"),
    ("汽修学徒", "auto_repair"),
    ("A2司机", "driver"),
    ("电工证", "electrician"),
    ("養老護理", "elder_care"),
    ("倉管", "warehouse"),
    ("電子線束", "wire_harness"),
    ("gangjingong", "rebar"),
    ("mugong", "carpenter"),
    ("xiujiaoshi", "pedicure"),
    ("huliyuan", "elder_care"),
    ("yuying yuan", "infant_care"),
    ("wa jue ji si ji", "heavy_machine"),
    ("电焊攻", "welder"),
    ("保暗", "security"),
    ("服务源", "waiter"),
    ("叉车死机", "forklift"),
    ("月騷", "maternity"),
    ("养老户理员", "elder_care"),
    ("钢筋帮扎", "rebar"),
    ("货车四机", "driver"),
    ("快地员", "courier"),
    ("黄牛饲养园", "livestock"),
]

# (query, category, the city whose vacancies must come first)
LOCATED = [
    ("天津招焊工吗", "welder", "天津"),
    ("包头有没有开铲车的", "heavy_machine", "包头"),
    ("银川附近有厨师的活吗", "cook", "银川"),
    ("西安哪里需要修脚师", "pedicure", "西安"),
    ("有招普工的吗 通辽", "general_worker", "通辽"),
    ("兰州 找份仓管的工作", "warehouse", "兰州"),
    ("呼市有保安的活吗", "security", "呼和浩特"),
    ("请问深圳有招快递员的吗", "courier", "深圳"),
    ("找个服务员的活，成都", "waiter", "成都"),
    ("大同招不招木工", "carpenter", "大同"),
    ("烟台 厨师", "cook", "烟台"),
    ("厨师 烟台市", "cook", "烟台"),
    ("通辽市 保安", "security", "通辽"),
    ("库伦 发酵工", "fermentation", "库伦旗"),
    ("北京市 木工", "carpenter", "北京"),
    ("陕西紫阳县 包装工", "packer", "紫阳"),
    ("乌鲁木齐市招门卫", "security", "乌鲁木齐"),
]

LOCATED += [
    ("乌鲁木齐 焊工", "welder", "乌鲁木齐"),
    ("红寺堡 服务员", "waiter", "红寺堡"),
    ("深圳保安", "security", "深圳"),
    ("西宁有厨师的活吗", "cook", "西宁"),
    ("阜新普工", "general_worker", "阜新"),
    ("天水 绣娘", "embroidery", "天水"),
    ("吴忠附近 采摘", "picker", "吴忠"),
    ("霍林郭勒 电解工", "electrolysis", "霍林郭勒"),
    ("武山 制茶", "tea", "武山"),
    ("中宁县 司机", "driver", "中宁"),
    ("扎鲁特 月嫂", "maternity", "扎鲁特旗"),
    ("开鲁县招库管吗", "warehouse", "开鲁"),
    ("福州市 数控", "cnc", "福州"),
    ("西安 护工", "elder_care", "西安"),
    ("上海 快递员", "courier", "上海"),
]

NOTHING = [
    "baojie",
    "有没有程序员的工作",
    "招会计吗",
    "找律师",
    "医生",
    "有没有空姐的工作",
    "有没有模特的活",
    "翻译",
    "摄影师",
    "有没有导游的工作",
    "消防员",
    "警察",
    "建筑设计师",
    "牙医",
    "记者",
    "银行柜员",
    "有没有兽医的工作",
    "护士",
    "有没有化妆师的工作",
    "外语老师",
    "有没有健身教练的活",
    "求一份软件开发的工作",
    "有没有空调维修的活",
    "保洁",
    "有没有电商运营的工作",
    "有没有导购的工作",
    "有没有幼师的工作",
    "飞机机长",
    "有没有主持人的工作",
    "营养师",
    "花艺师",
]

CHATTER = [
    "大家晚上好",
    "今天发工资了吗",
    "吃了吗",
    "哈哈笑死我了",
    "谢谢老板",
    "这个厂怎么样",
    "宿舍有空调吗",
    "明天放假吗",
    "保安大哥辛苦了",
    "[图片]",
    "好的收到",
    "路上小心",
    "我到车站了",
    "群主在吗",
    "今天好累啊",
    "晚饭吃什么",
    "周末有人打球吗",
    "老乡们好",
    "工资到账了",
    "车上人多吗",
    "明天早上几点上班",
    "食堂的饭还行",
    "厂里放几天假",
    "我们班长人挺好",
    "新来的电工挺厉害",
    "大家注意保暖",
    "收到，谢谢",
    "👍",
    "ok",
    "hello",
    "哈哈哈哈",
    "恭喜发财",
    # second, blind batch
    "今天加班到十点",
    "有没有人一起拼车回老家",
    "这个月工资发了没",
    "宿舍热水器坏了",
    "谁有充电器借一下",
    "明天休息吗",
    "我在车间门口等你",
    "食堂今天吃饺子",
    "班长说明天早班",
    "老板人不错",
    "这里冬天冷不冷",
    "哪里有卖烟的",
    "有人去超市吗",
    "我刚到火车站",
    "外面下雨了",
    "电费怎么交",
    "工牌丢了怎么办",
    "体检在哪里做",
    "今天太热了",
    "晚上一起吃烧烤啊",
    "谁知道最近的医院在哪",
    "快递到了吗",
    "我的快递在哪拿",
    "司机师傅几点发车",
    "保安不让进怎么办",
    "厨师做的菜太咸了",
    "大家周末愉快",
    "新年快乐",
    "在不在",
    "发个红包吧",
    "这个视频不错",
    "群里好热闹",
    "上班打卡了吗",
    "我明天请假",
    "服务员态度不好",
    "刚下班累死了",
    "你们厂几点下班",
]

QUERIES = [
    "有电焊工的活吗",
    "招不招普工",
    "哪里有保安的工作",
    "找一份厨师工作",
    "我是焊工找活",
    "月嫂有活吗",
    "求职 叉车司机",
    "有没有适合女的工作",
    "包头哪里招人",
    "有没有日结的活",
    "50岁还能干保安吗",
    "招夫妻工吗",
    "天津有活吗",
    "电工证刚考下来 找活",
    "会开挖机 有要的吗",
    "有招服务员的吗",
    "找活 木工",
    "哪里招育儿嫂",
    "想找个包吃住的活",
    "有没有轻松点的工作",
    "焊工急需",
    "哪里有电焊工",
]


@pytest.mark.parametrize(("text", "category"), FOUND)
def test_finds_the_trade(
    text: str, category: str, sample_index: SearchIndex, category_of: dict[str, str], now: datetime
) -> None:
    result = sample_index.search(text, now=now)
    assert any(category_of[h.vacancy_id] == category for h in result.hits), result.query
    assert sample_index.is_job_query(text)


@pytest.mark.parametrize("case", LOCATED, ids=[c[0] for c in LOCATED])
def test_that_place_first(
    case: tuple[str, str, str],
    sample_index: SearchIndex,
    vacancies: list[Vacancy],
    category_of: dict[str, str],
    now: datetime,
) -> None:
    text, category, city = case
    relevant = {v.id for v in vacancies if category_of[v.id] == category and v.city == city}
    result = sample_index.search(text, now=now)
    assert sample_index.is_job_query(text)
    if not relevant:  # none there: the same trade elsewhere, and the UI is told so
        assert not result.in_place
        assert result.hits
        assert all(category_of[h.vacancy_id] == category for h in result.hits)
        return
    k = min(3, len(relevant))
    assert result.in_place
    assert all(h.vacancy_id in relevant for h in result.hits[:k]), result.hits


@pytest.mark.parametrize("text", NOTHING)
def test_finds_nothing_for_other_professions(
    text: str, sample_index: SearchIndex, now: datetime
) -> None:
    assert sample_index.search(text, now=now).hits == []


@pytest.mark.parametrize("text", [t for t in NOTHING if "有没有" in t or "求一份" in t])
def test_asking_for_other_professions_is_a_job_query(text: str, sample_index: SearchIndex) -> None:
    assert sample_index.is_job_query(text)


@pytest.mark.parametrize("text", QUERIES)
def test_job_queries_without_a_known_trade_or_with_one(
    text: str, sample_index: SearchIndex
) -> None:
    assert sample_index.is_job_query(text)


@pytest.mark.parametrize("text", CHATTER)
def test_chatter_is_not_a_job_query(text: str, sample_index: SearchIndex) -> None:
    assert not sample_index.is_job_query(text)
