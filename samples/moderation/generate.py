"""Writes chatter.jsonl and scams.jsonl: labelled group messages for bench/moderation.py.

Hand-written lines, some combined with places, trades and sums (fixed seed, so the files
are the same at every run). Chatter includes what looks close to a scam and is not: job
seekers asking about deposits and fees, recruiters' posts that say no fee is charged,
warnings about scammers, a wage figure, a phone-free job post.
Run: python samples/moderation/generate.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
CITIES = ["天津", "包头", "呼市", "鄂尔多斯", "郑州", "苏州", "东莞", "昆山", "烟台", "银川"]
TRADES = ["电焊工", "普工", "叉车工", "保安", "厨师", "电工", "操作工", "仓管", "司机", "木工"]
SUMS = ["200", "300", "500", "800", "1000", "150", "两百", "五百"]

CHATTER = [
    "包吃住吗？",
    "包吃住吗 押金退吗?",
    "押金退吗",
    "住宿押金多少？",
    "要交押金吗？",
    "报名费多少啊",
    "体检费谁出？",
    "体检费自己出吗",
    "服装费要扣吗？",
    "请问要交什么费用吗",
    "这个厂不收押金吧？",
    "押金能退不？",
    "押金入职满一个月退吗",
    "怎么报名？",
    "工资怎么发？",
    "工资几号发",
    "工资月结还是日结？",
    "有没有夜班",
    "几点上班",
    "几点下班",
    "能带家属吗",
    "夫妻工有吗",
    "宿舍几人间？",
    "有空调吗",
    "食堂好吃吗",
    "多大年纪能去",
    "50岁要吗",
    "女的要不要",
    "需要什么证件",
    "要身份证原件吗",
    "去了管饭吗",
    "路费报销吗",
    "在哪里面试",
    "面试要带什么",
    "今天还招人吗",
    "明天能去吗",
    "谢谢",
    "好的",
    "收到",
    "谢谢老师",
    "已报名",
    "我要报名",
    "我想报名",
    "早上好",
    "大家好",
    "新人报到",
    "辛苦了",
    "哈哈",
    "有人在吗",
    "在吗",
    "👍",
    "这个靠谱吗",
    "有人去过吗",
    "工作累不累",
    "加班多吗",
    "本公司不收取任何费用",
    "无需交押金，包吃包住",
    "不收押金不收报名费",
    "谨防收押金的骗子",
    "凡是要押金的都是骗子，大家小心",
    "招工不收任何费用，收费的都是骗子",
    "押金全免，体检费公司承担",
    "体检费入职后报销",
    "服装费公司出",
    "入职不收一分钱",
    "正规厂，零费用入职",
    "大家注意不要交钱给任何人",
    "有人让我先交钱，是不是骗子？",
    "刷单的都是骗子别信",
    "这个要交报名费吗？是不是骗人的",
    "工资8000左右，多劳多得",
    "月薪6000-8000，包吃住",
    "底薪4500+提成",
    "日结200，干一天结一天",
    "时薪25元，长白班",
    "工资每月15号发，银行卡",
    "五险一金，节假日福利",
    "我上个月拿了7千多",
    "去年干了半年，挺好的",
    "厂里伙食还行",
    "宿舍四人间，有热水",
    "有没有电焊的活",
    "天津有焊工吗",
    "包头有没有保安",
    "求一份普工",
    "我会开叉车",
    "有证的电工找活",
    "招聘：电焊工5名，月薪8000-12000，包吃住，地点包头，有意者点下面报名按钮",
    "【招聘】普工20人，两班倒，工资6000+，包吃住，天津西青区，年满18周岁",
    "急招叉车工，持证上岗，月薪7000，地点昆山，点击报名",
    "招厨师一名，月薪6500，包吃住，烟台，点报名",
    "保安10名，月休4天，工资4800，郑州",
    "请问群主，报名后多久有回复",
    "管理员你好，我报名了没人联系",
    "@zhaopin_test_bot 有电焊工吗",
    "我微信不太会用",
    "微信群里看到的这个活",
    "我把你推到微信群了吗？没有吧",
    "QQ早就不用了",
    "链接打不开",
    "报名链接在哪",
    "机器人怎么用",
    "二维码过期了吗",
    "怎么扫码报名？",
    "我扫了二维码没反应",
    "微信支付可以吗？我是说工资",
    "工资可以发微信吗",
    "支付宝能收工资吗",
    "交社保吗",
    "交五险吗",
    "公司交社保",
    "要交社保吗",
    "押金这种事我不干",
    "别交钱，切记",
    "被骗过一次押金，怕了",
    "上次交了500押金没退，现在不敢了",
    "转正后工资多少",
    "加班费怎么算",
    "加班费多少",
    "夜班补贴多少",
    "餐补多少钱",
    "房补有吗",
    "这个群挺好的",
    "群主辛苦",
    "祝大家找到好工作",
    "我媳妇也想去",
    "老乡们好",
    "下雨了路不好走",
    "今天太热了",
    "吃饭了吗",
    "晚安",
    "明天见",
]
CHATTER_TEMPLATES = [
    "{city}有{trade}吗",
    "{city}{trade}押金退吗？",
    "{trade}要交押金吗",
    "{city}的{trade}包吃住吗",
    "{trade}工资多少",
    "{trade}怎么报名",
    "{city}那边{trade}的活累吗",
    "我在{city}，做过{trade}",
    "{trade}招满了吗",
    "招{trade}，{city}，月薪{pay}，包吃住，不收任何费用",
    "{city}{trade}，日结{day}元，无押金",
    "想问{trade}有没有体检费",
    "{trade}的服装费要自己出吗？",
    "听说{city}有人收报名费，大家别信",
    "{city}去过的说说，{trade}靠谱吗",
]

SCAMS = [
    "先交500押金才能安排进厂",
    "报名费200元，微信转我",
    "服装费150自理，先交",
    "体检费300交给带队老师",
    "需交押金1000元，入职后退",
    "入职前先交报名费300",
    "统一缴纳服装费200元",
    "每人先交定金500占位",
    "交钱报名，名额有限",
    "先交钱后安排，保证进厂",
    "转账给我就给你安排工作",
    "押金500转给我，明天上班",
    "报名需要先交200",
    "体检费自己出，200元交给我",
    "中介费800，到厂交给经理",
    "培训费1980，包分配",
    "押证费300，上岗后退",
    "名额费200元/人，先到先得",
    "工装费100元，报名时交",
    "扫码付押金，马上安排",
    "微信转押金500就能上班",
    "支付宝转我报名费",
    "刷单兼职，日赚500",
    "垫付货款返利20%，在家就能做",
    "点赞返利，日入300",
    "躺赚，手机就能做",
    "兼职刷信誉，一单一结",
    "做任务返佣，学生宝妈都可以",
    "押身份证才能上岗",
    "加V：zp88888 详聊",
    "加微信hr2024668 领工作",
    "vx：gongzuo123 进群",
    "有意者加vx hr_wang01",
    "加我微信 abc12345 日结",
    "薇信：jobs6688",
    "威信 zhaogong999",
    "+v: laowang8899",
    "加Q 12345678 进群",
    "QQ号：987654321 私聊",
    "飞机号 @zhaogong_vip",
    "加v看头像",
    "加我v私聊领取",
    "私聊我领取日结兼职",
    "私信我，高薪日结",
    "滴滴我，拉你进群",
    "进群：t.me/joinchat/AbCdEf123",
    "https://t.me/+xYz987 高薪日结群",
    "新群 t.me/zhaogong_new 大家进",
    "进群领福利 https://t.me/fuli_group",
    "备用群：@zhaogong_backup",
    "兼职群 https://jq.qq.com/?k=abc",
    "主群被封了，新群 https://t.me/newgroup2024",
    "加群 qm.qq.com/q/xyz 日结兼职",
    "微信群 https://weixin.qq.com/g/AbC123 扫码进",
    "whatsapp 群 chat.whatsapp.com/Abc123",
    "交流群：@aluminium_jobs_chat",
    "福利群 tg://join?invite=abcdef",
    "频道 t.me/gaoxin_channel 每日更新",
]
SCAM_TEMPLATES = [
    "{city}{trade}，先交{sum}押金，包进厂",
    "{trade}急招，报名费{sum}元，微信转我",
    "{city}{trade}名额不多，交{sum}定金占位",
    "{trade}上岗前交服装费{sum}",
    "{city}{trade}，体检费{sum}交给带队老师",
    "{trade}加V：hr{num} 详聊",
    "{city}{trade}日结，加微信 zp{num}",
    "{trade}高薪，vx：job{num}",
    "{city}{trade}群 https://t.me/+{code}",
    "{city}招{trade}，进群 t.me/{code}",
    "{trade}入职先交钱{sum}，不交不安排",
    "{city}{trade}，押金{sum}转给我，明天到岗",
]
QR_CAPTIONS = [
    "扫码进群，高薪日结",
    "扫一扫加我",
    "长按识别二维码领取兼职",
    "二维码进{city}招工群",
    "扫码付押金",
    "识别图中二维码",
    "{city}{trade}群，扫码",
    "加群领岗位",
    "加V看图",
    "扫码报名，{city}{trade}",
]
QR_CHATTER = [
    "厂区门口照片",
    "宿舍照片，大家看看",
    "{city}工地",
    "今天的饭菜",
    "工资条",
    "{trade}的工作环境",
    "",
    "这是我们车间",
    "{city}下雪了",
]


def _chatter(rng: random.Random) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [{"text": t} for t in CHATTER]
    for template in CHATTER_TEMPLATES:
        for _ in range(6):
            rows.append({"text": _fill(template, rng)})
    for caption in QR_CHATTER:
        rows.append({"text": _fill(caption, rng), "picture": True})
    rows.append({"text": "@zhangsan @lisi 你们去吗", "mentions": 2})
    rows.append({"text": "@wangwu 在吗", "mentions": 1})
    return rows


def _scams(rng: random.Random) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [{"text": t} for t in SCAMS]
    for template in SCAM_TEMPLATES:
        for _ in range(11):
            rows.append({"text": _fill(template, rng)})
    for caption in QR_CAPTIONS:
        for _ in range(3):
            rows.append({"text": _fill(caption, rng), "picture": True})
    for _ in range(6):
        rows.append({"text": "", "contact_card": True})
    for n in (5, 8, 12, 20, 30):
        names = " ".join(f"@user{rng.randrange(10000, 99999)}" for _ in range(n))
        rows.append({"text": f"{names} 高薪日结看过来", "mentions": n})
    return rows


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        city=rng.choice(CITIES),
        trade=rng.choice(TRADES),
        sum=rng.choice(SUMS),
        pay=rng.choice(["5000", "6500", "8000-10000"]),
        day=rng.choice(["180", "200", "260"]),
        num=rng.randrange(1000, 99999),
        code="".join(rng.choice("abcdefghjkmnpqrstuvwxyz0123456789") for _ in range(8)),
    )


def main() -> None:
    rng = random.Random(15)
    for name, rows, label in (
        ("chatter", _chatter(rng), "chatter"),
        ("scams", _scams(rng), "scam"),
    ):
        seen: set[str] = set()
        with (HERE / f"{name}.jsonl").open("w", encoding="utf-8") as out:
            for row in rows:
                key = json.dumps(row, ensure_ascii=False, sort_keys=True)
                if key in seen:
                    continue
                seen.add(key)
                out.write(json.dumps({**row, "label": label}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
