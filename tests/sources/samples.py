"""The sample feed, and the same vacancies written the way other sources write them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from jobfeed.models import utcnow
from jobfeed.sources.snapshot import read_moved_to

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "vacancies.jsonl"

CHINESE_HEADERS = [
    "编号", "职位名称", "用人单位", "城市", "省份", "薪资", "招聘人数", "任职要求",
    "福利待遇", "职位描述", "品牌", "联系电话", "发布时间", "截止日期", "链接",
]  # fmt: skip


def sample_rows() -> list[dict[str, Any]]:
    """The sample feed's rows, moved in time so they are current now (as the demo does)."""
    return read_moved_to(SAMPLE, utcnow())


def pay_text(row: dict[str, Any]) -> str:
    unit = {"month": "元/月", "day": "元/天", "hour": "元/小时"}[row["salary_unit"]]
    return f"{row['salary_min']}-{row['salary_max']}{unit}"


def chinese_csv(rows: list[dict[str, Any]], delimiter: str = ",") -> str:
    """The rows as a spreadsheet export: Chinese headers, pay as text, lists joined."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(CHINESE_HEADERS)
    for r in rows:
        writer.writerow(
            [
                r["id"], r["title"], r["employer"], r["city"], r["province"], pay_text(r),
                f"{r['headcount']}人", r["requirements"], "、".join(r["benefits"]),
                r["description"], r["brand"] or "", r["contact_phone"], r["posted_at"],
                r["expires_at"], r["url"],
            ]
        )  # fmt: skip
    return out.getvalue()


def vacancy_json(row: dict[str, Any], **changes: Any) -> str:
    return json.dumps({**row, **changes}, ensure_ascii=False)
