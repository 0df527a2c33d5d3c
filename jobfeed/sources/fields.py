"""Canonical field names, and the many ways sources name them (CSV headers, JSON keys,
RSS extension elements, ``标签：值`` lines in descriptions).

A name is folded (``textnorm.fold``: simplified, no spaces or punctuation, lower case)
before lookup, so ``職位名稱``, ``职位名称 ``, ``Job Title`` and ``job_title`` all work.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

from jobfeed.sources.textnorm import fold

# Folded before comparison, so spaces, case and traditional forms need no entries here.
ALIASES: dict[str, str] = {
    "id": "id 编号 职位编号 岗位编号 职位id 岗位id jobid guid 编码",
    "title": (
        "title 职位 岗位 职位名称 岗位名称 招聘岗位 招聘职位 工种 职位名 岗位名 position job "
        "jobtitle jobname"
    ),
    "employer": (
        "employer 单位 公司 企业 用人单位 招聘单位 招聘企业 公司名称 企业名称 单位名称 雇主 "
        "company companyname organization hiringorganization"
    ),
    "city": "city 城市 工作城市 所在城市 所在市 地市",
    "province": "province 省份 省 所在省份 所在省 省区 region",
    "place": (
        "place 地点 工作地点 工作地址 地址 地区 所在地 所在地区 工作区域 location address "
        "workplace joblocation"
    ),
    "salary": (
        "salary pay wage 薪资 工资 薪酬 月薪 薪水 薪资待遇 工资待遇 薪资范围 工资范围 basesalary"
    ),
    "salary_min": "salarymin minsalary 最低薪资 最低工资 薪资下限 工资下限",
    "salary_max": "salarymax maxsalary 最高薪资 最高工资 薪资上限 工资上限",
    "salary_unit": "salaryunit 薪资单位 工资单位 计薪方式 结算方式 计薪单位",
    "headcount": "headcount 人数 招聘人数 需求人数 招聘数量 名额 招聘名额 数量 openings vacancies",
    "requirements": (
        "requirements requirement 要求 任职要求 岗位要求 职位要求 招聘要求 任职资格 应聘条件 "
        "招聘条件 qualifications"
    ),
    "benefits": "benefits 福利 福利待遇 待遇福利 公司福利 岗位福利 perks",
    "description": (
        "description 描述 职位描述 岗位描述 岗位职责 工作内容 职位详情 详情 职位介绍 岗位介绍 "
        "summary content details"
    ),
    "contact_phone": (
        "contactphone 联系电话 电话 联系方式 手机 手机号 手机号码 联系手机 咨询电话 报名电话 "
        "phone tel telephone mobile"
    ),
    "posted_at": "postedat 发布时间 发布日期 发布 刊登日期 published pubdate dateposted date",
    "expires_at": (
        "expiresat 截止日期 截止时间 有效期 有效期至 结束日期 到期时间 招聘截止 截止 deadline "
        "validthrough expires expiry"
    ),
    "url": "url 链接 网址 详情链接 职位链接 原文链接 link href",
    "brand": "brand 品牌 劳务品牌",
    "status": "status 状态 招聘状态 职位状态",
}

FIELDS: tuple[str, ...] = tuple(ALIASES)


@cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for field, names in ALIASES.items():
        for name in (field, *names.split()):
            table.setdefault(fold(name), field)
    return table


@lru_cache(maxsize=4096)
def canonical(name: str) -> str | None:
    """The canonical field a header or key means, or None when we don't know it.

    A namespace prefix (``job:employer``, feedparser's ``job_employer``) is tried away.
    """
    table = _lookup()
    found = table.get(fold(name))
    for separator in (":", "_"):
        if found is None and separator in name:
            found = table.get(fold(name.split(separator, 1)[1]))
    return found


def map_fields(obj: dict[str, Any], unknown: set[str], parent: str = "") -> dict[str, Any]:
    """An object's values under canonical names; nested objects are flattened
    (``{"salary": {"min": 1}}`` -> ``salary_min``). The first non-empty value wins."""
    out: dict[str, Any] = {}
    for key, value in obj.items():
        if isinstance(value, dict):
            for field, inner in map_fields(value, unknown, parent=str(key)).items():
                out.setdefault(field, inner)
            continue
        found = (canonical(parent + str(key)) if parent else None) or canonical(str(key))
        if found is None:
            unknown.add(f"{parent}.{key}" if parent else str(key))
        elif value not in (None, "", []) and found not in out:
            out[found] = value
    return out


def known_labels() -> Iterable[str]:
    """Chinese labels worth looking for in ``标签：值`` lines of free text."""
    return [n for names in ALIASES.values() for n in names.split() if not n.isascii()]
