"""The labour office's lists as tables with Chinese headers, one row per item and its
nearest matches in one cell; written as XLSX or CSV by ``jobfeed.sheets``."""

from __future__ import annotations

from collections.abc import Sequence

from jobfeed import sheets
from jobfeed.matching.reports import NO_ANSWER, NO_MATCH, Near, UnfilledRow, UnmatchedRow

Table = tuple[list[str], list[list[sheets.Cell]]]

UNFILLED_HEADERS = [
    "岗位编号", "岗位", "单位", "城市", "省份", "发布日期", "已开放天数", "报名人数",
    "符合条件的求职者", "最接近的求职者",
]  # fmt: skip
UNMATCHED_HEADERS = [
    "求职者编号", "工种", "地点", "最低月薪", "最近活跃", "原因", "报名数", "已回复",
    "符合条件的岗位", "最接近的岗位",
]  # fmt: skip
REASONS = {NO_MATCH: "没有合适的在招岗位", NO_ANSWER: "报名没有回复"}


def _nearest(items: Sequence[Near]) -> str:
    return "；".join(f"{n.label}{'' if n.exact else '（不完全符合）'}" for n in items)


def unfilled_table(rows: Sequence[UnfilledRow]) -> Table:
    return UNFILLED_HEADERS, [
        [
            r.vacancy_id,
            r.title,
            r.employer,
            r.city,
            r.province,
            r.posted_at.date().isoformat(),
            r.days_open,
            r.applications,
            r.fitting,
            _nearest(r.nearest),
        ]
        for r in rows
    ]


def unmatched_table(rows: Sequence[UnmatchedRow]) -> Table:
    return UNMATCHED_HEADERS, [
        [
            r.seeker_id,
            "、".join(r.trades) or "不限",
            "、".join(r.places) or "不限",
            r.min_pay if r.min_pay is not None else "",
            r.active_at.date().isoformat(),
            "；".join(REASONS[x] for x in r.reasons),
            r.applications,
            r.answered,
            r.fitting,
            _nearest(r.nearest),
        ]
        for r in rows
    ]
