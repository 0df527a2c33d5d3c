"""Every rule of templates/compliance/rules.json: wording that triggers it and wording that
must not (negations such as 男女不限, 不收取任何费用), on the checker alone."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from jobfeed.compliance.checker import PostChecker
from jobfeed.compliance.findings import Severity, Verdict
from jobfeed.compliance.rules import RULES_FILE, Rules, RulesError
from jobfeed.models import Vacancy, VacancyStatus
from tests.sources.samples import SAMPLE

WHEN = datetime(2026, 11, 15, 2, tzinfo=UTC)

# rule id -> (texts that trigger it, texts that must not). Each text goes into the
# requirements of an otherwise lawful vacancy (and then its description).
WORDING: dict[str, tuple[list[str], list[str]]] = {
    "gender": (
        ["限男性", "女性优先", "只招女工", "仅限男士", "招男工10名", "男士优先", "不招女性",
         "女性勿扰", "要求男性，能吃苦"],
        ["男女不限", "不限男女", "性别不限", "男女均可", "招男女工10名", "女装店导购"],
    ),
    "marital": (
        ["已婚已育优先", "限未婚", "三年内不得怀孕", "入职需做孕检", "孕妇勿扰"],
        ["婚否不限", "已婚未婚均可", "孕期员工依法享有产假"],
    ),
    "ethnicity": (
        ["限汉族", "少数民族勿扰", "不招维吾尔族", "汉族优先"],
        ["民族不限", "各民族员工一视同仁", "适合上班族兼职"],
    ),
    "race": (
        ["限白人", "黑人勿扰", "不招黑人"],
        ["肤色不限", "白班夜班轮换"],
    ),
    "religion": (
        ["穆斯林勿扰", "限基督徒", "不招信教人员", "有宗教信仰者勿扰"],
        ["宗教信仰不限", "提供清真餐"],
    ),
    "hukou": (
        ["限本地户口", "仅限北京户籍", "本地人优先", "河南人勿扰", "不招外地人", "城镇户口优先",
         "限东北人"],
        ["不限户籍", "户籍不限", "外地人员均可，提供住宿", "入职需携带户口本复印件",
         "要求携带户口本", "工作地点山东烟台"],
    ),
    "health_carrier": (
        ["乙肝勿扰", "不招乙肝携带者", "大三阳免谈", "需查乙肝五项"],
        ["入职体检（正规医院）", "身体健康"],
    ),
    "guarantee": (
        ["包录用", "保证录取", "100%入职", "面试即录用", "报名就上岗"],
        ["面试合格后录用", "不承诺包录用", "谨防包录用骗局", "包吃包住", "包过年车费"],
    ),
    "no_requirements": (
        ["高薪无要求", "高工资，无任何门槛", "轻松月入过万", "零门槛月入过万"],
        ["高薪，要求三年经验", "无经验可培训", "月入6000-8000"],
    ),
    "fees": (
        ["交押金", "入职交押金500元", "报名费200元", "先交服装费", "收取培训费300",
         "服装费自理", "押金：300元", "需缴纳保证金"],
        ["不收取任何费用", "不收押金", "无需交押金", "押金全免", "免押金", "零押金",
         "不向求职者收取押金、报名费", "谨防收取押金的骗子", "押金0元", "公司承担服装费"],
    ),
    "medical_fee": (
        ["体检费150元交给带队老师", "体检费微信转给我", "转账给老师体检费100元"],
        ["体检费自理（到正规医院）", "公司报销体检费", "不用交体检费给任何人"],
    ),
    "age": (
        ["35岁以下", "18-45岁", "20-50岁", "55岁以下", "年龄18～40周岁", "不超过40岁",
         "限90后", "45岁以内"],
        ["年龄不限", "年满18周岁", "18岁以上", "16周岁以上", "工作满18个月", "身体健康"],
    ),
}  # fmt: skip

FORBIDDEN = {rule for rule in WORDING if rule != "age"}


def lawful(**changes: Any) -> Vacancy:
    values: dict[str, Any] = {
        "id": "C-1",
        "title": "仓库管理员",
        "employer": "草原物流有限公司",
        "city": "烟台",
        "province": "山东",
        "salary_min": 5000,
        "salary_max": 7000,
        "headcount": 2,
        "requirements": "会用电脑，无经验可培训",
        "description": "负责出入库登记和盘点",
        "posted_at": WHEN,
        "expires_at": WHEN + timedelta(days=30),
    }
    return Vacancy.model_validate(values | changes)


@pytest.fixture(scope="module")
def checker() -> PostChecker:
    return PostChecker.load()


def test_every_rule_has_examples_both_ways() -> None:
    rules = Rules.load()
    assert {r.id for r in rules.wording} == set(WORDING)
    assert all(yes and no for yes, no in WORDING.values())
    assert {r.id for r in rules.required} == set(MISSING)
    assert all(r.law for r in (*rules.wording, *rules.required))  # each names its law


@pytest.mark.parametrize("rule", sorted(WORDING))
def test_wording_triggers_its_rule_with_the_span(checker: PostChecker, rule: str) -> None:
    for text in WORDING[rule][0]:
        for field in ("requirements", "description"):
            review = checker.review(lawful(**{field: f"身体健康，{text}。"}))
            found = [f for f in review.findings if f.rule == rule]
            assert found, f"{rule} missed {text!r} in {field}"
            [finding] = found
            assert finding.field == field and finding.span and finding.span in text
            assert f"身体健康，{text}。"[finding.start : finding.end] == finding.span
            assert finding.suggestion and finding.law and finding.message
            held = rule in FORBIDDEN
            assert finding.severity is (Severity.forbid if held else Severity.flag)
            assert review.status is (Verdict.held if held else Verdict.flagged)


@pytest.mark.parametrize("rule", sorted(WORDING))
def test_lawful_wording_does_not_trigger(checker: PostChecker, rule: str) -> None:
    for text in WORDING[rule][1]:
        review = checker.review(lawful(requirements=text, description=f"负责分拣，{text}"))
        assert review.findings == [], f"{text!r}: {[(f.rule, f.span) for f in review.findings]}"
        assert review.status is Verdict.ok


# rule id -> (the change that breaks it, the same vacancy fixed)
MISSING: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "missing.employer": ({"employer": "某公司"}, {"employer": "包头铝业有限公司"}),
    "missing.headcount": ({}, {}),  # only an author can leave it out: see below
    "missing.requirements": ({"requirements": ""}, {"requirements": "持证上岗"}),
    "missing.duties": ({"description": " "}, {"description": "负责盘点"}),
    "missing.workplace": ({}, {}),  # the model requires a city: see below, on a copy
    "missing.pay": ({"salary_min": None, "salary_max": None}, {"salary_min": 4000}),
    "missing.validity": ({"expires_at": None}, {"expires_at": WHEN + timedelta(days=7)}),
}


@pytest.mark.parametrize(
    "rule", sorted(r for r in MISSING if r not in {"missing.headcount", "missing.workplace"})
)
def test_a_missing_required_field_holds_and_its_fix_passes(
    checker: PostChecker, rule: str
) -> None:
    broken, fixed = MISSING[rule]
    review = checker.review(lawful(**broken))
    assert [(f.rule, f.severity) for f in review.findings] == [(rule, Severity.missing)]
    assert review.status is Verdict.held
    assert checker.review(lawful(**broken | fixed)).status is Verdict.ok


def test_headcount_and_workplace_are_required_when_absent(checker: PostChecker) -> None:
    review = checker.review(lawful(), absent=["headcount"])
    assert [f.rule for f in review.findings] == ["missing.headcount"]
    assert checker.review(lawful()).status is Verdict.ok
    blank = lawful().model_copy(update={"city": ""})  # the model forbids it; a copy does not
    assert [f.rule for f in checker.review(blank).findings] == ["missing.workplace"]


def test_apply_holds_releases_and_keeps_an_override(checker: PostChecker) -> None:
    held = checker.apply(lawful(requirements="限男性"))
    assert held.status is VacancyStatus.held and held.compliance is not None
    flagged = checker.apply(lawful(requirements="18-45岁"))
    assert flagged.status is VacancyStatus.active
    assert flagged.compliance is not None and flagged.compliance.status is Verdict.flagged
    fixed = checker.apply(held.model_copy(update={"requirements": "男女不限"}), previous=held)
    assert fixed.status is VacancyStatus.active and fixed.compliance is not None
    assert fixed.compliance.status is Verdict.ok
    closed = checker.apply(lawful(requirements="限男性", status=VacancyStatus.closed))
    assert closed.status is VacancyStatus.closed  # a closed vacancy stays closed


def test_several_findings_in_one_text_each_with_its_span(checker: PostChecker) -> None:
    text = "限男性，35岁以下，限本地户口，入职交押金300元，报名费50元"
    review = checker.review(lawful(requirements=text))
    spans = sorted((f.rule, f.span) for f in review.findings)
    assert spans == [
        ("age", "35岁以下"),
        ("fees", "交押金300元"),
        ("fees", "报名费50元"),
        ("gender", "限男性"),
        ("hukou", "限本地户口"),
    ]


def test_the_sample_feed_is_flagged_for_age_but_never_held(checker: PostChecker) -> None:
    verdicts: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        review = checker.review(Vacancy.model_validate_json(line))
        verdicts[review.status.value] += 1
        rules.update(f.rule for f in review.findings)
    assert verdicts["held"] == 0 and verdicts["ok"] > 1000
    assert set(rules) == {"age"} and 1500 < verdicts["flagged"] < 2000


def test_a_malformed_rule_names_itself() -> None:
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    data["wording"][0]["patterns"] = ["(unclosed"]
    with pytest.raises(RulesError, match=data["wording"][0]["id"]):
        Rules.parse(data)
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    data["wording"][1]["law"] = ["NO_SUCH_LAW"]
    with pytest.raises(RulesError, match="NO_SUCH_LAW"):
        Rules.parse(data)
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    data["wording"][2]["patterns"] = ["@NOPE@"]
    with pytest.raises(RulesError, match="NOPE"):
        Rules.parse(data)
