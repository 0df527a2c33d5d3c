"""The ledger (台账) of placements, the broker-reward roster and the placement figures.

One row per placement with the county's columns. Phones are masked unless the reader is
an admin exporting for the office (the caller decides and logs the read); a forgotten
worker's row keeps everything but the personal columns, so the counts stay.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from jobfeed.applications.masking import mask_phone
from jobfeed.brokers.models import Broker
from jobfeed.placements.models import Answer, Placement
from jobfeed.sheets import Cell

LEDGER_HEADERS: tuple[str, ...] = (
    "编号", "姓名", "手机号", "家庭住址（村/镇）", "务工省份", "务工城市", "用工单位", "工种",
    "入职日期", "月工资", "培训情况", "社保", "补贴", "经纪人", "经纪人编码", "批次",
)  # fmt: skip
REASONS = {
    "pay": "工资低", "work": "工作太累", "family": "家里有事", "contract": "合同到期",
    "other": "其他",
}  # fmt: skip
FORGOTTEN = "（已删除）"


def checkin_headers(months: Sequence[int]) -> tuple[str, ...]:
    return tuple(f"{m}个月在岗" for m in months)


@dataclass(frozen=True, slots=True)
class LedgerFilter:
    first: date | None = None  # start dates from (inclusive)
    last: date | None = None  # start dates to (inclusive)
    county: str | None = None  # part of the worker's home, e.g. 化德县
    employer: str | None = None  # part of the employer's name

    def keeps(self, placement: Placement) -> bool:
        if self.employer and self.employer not in placement.record.employer:
            return False
        if self.county:
            return placement.worker is not None and self.county in placement.worker.home
        return True


def checkin_cell(placement: Placement, months: int, zone: ZoneInfo) -> str:
    checkin = placement.checkin(months)
    if checkin is None:
        return ""
    if checkin.answer is not None:
        day = checkin.answer.at.astimezone(zone).date().isoformat()
        if checkin.answer.answer is Answer.stayed:
            return f"还在（{day}）"
        return f"已离开：{REASONS.get(checkin.answer.reason, '其他')}（{day}）"
    if checkin.asked_at is not None:
        return "未回复"
    return "未到期"


def ledger_rows(
    placements: Iterable[Placement],
    brokers: dict[str, Broker],
    months: Sequence[int],
    zone: ZoneInfo,
    *,
    masked: bool,
) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for p in placements:
        worker = p.worker
        phone = "" if worker is None else mask_phone(worker.phone) if masked else worker.phone
        broker = brokers.get(p.broker or "")
        rows.append(
            [
                p.number,
                worker.name if worker else FORGOTTEN,
                phone,
                worker.home if worker else "",
                p.record.province,
                p.record.city,
                p.record.employer,
                p.record.trade,
                p.start.isoformat(),
                p.pay,
                p.training,
                p.insurance,
                p.subsidy,
                broker.name if broker else "",
                p.broker or "",
                p.batch or "",
                *(checkin_cell(p, m, zone) for m in months),
            ]
        )
    return rows


# -- rewards --------------------------------------------------------------------------------

REWARD_HEADERS: tuple[str, ...] = (
    "经纪人", "经纪人编码", "许可证/备案号", "所在地区", "编号", "工人姓名", "手机号", "用工单位",
    "工种", "入职日期", "在岗确认日期", "奖励金额（元）",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class RewardRule:
    """The office's rule: ``yuan`` per worker who said 还在 at the ``months`` check-in."""

    yuan: int
    months: int

    def earned_on(self, placement: Placement) -> datetime | None:
        """When the placement earned its broker the reward (the qualifying answer)."""
        checkin = placement.checkin(self.months)
        if placement.broker is None or checkin is None or checkin.answer is None:
            return None
        return checkin.answer.at if checkin.answer.answer is Answer.stayed else None


def reward_rows(
    placements: Iterable[Placement],
    brokers: dict[str, Broker],
    rule: RewardRule,
    month: str,
    zone: ZoneInfo,
    *,
    masked: bool,
) -> list[list[Cell]]:
    """Rewards earned in ``month`` (``YYYY-MM``, local), by broker, then a 合计 row."""
    rows: list[list[Cell]] = []
    for p in sorted(placements, key=lambda p: (p.broker or "", p.number)):
        earned = rule.earned_on(p)
        if earned is None or earned.astimezone(zone).strftime("%Y-%m") != month:
            continue
        broker = brokers.get(p.broker or "")
        worker = p.worker
        phone = "" if worker is None else mask_phone(worker.phone) if masked else worker.phone
        rows.append(
            [
                broker.name if broker else "",
                p.broker or "",
                broker.licence if broker else "",
                broker.area if broker else "",
                p.number,
                worker.name if worker else FORGOTTEN,
                phone,
                p.record.employer,
                p.record.trade,
                p.start.isoformat(),
                earned.astimezone(zone).date().isoformat(),
                rule.yuan,
            ]
        )
    if rows:
        rows.append(
            ["合计", "", "", "", "", f"{len(rows)} 人", "", "", "", "", "", rule.yuan * len(rows)]
        )
    return rows


# -- figures --------------------------------------------------------------------------------


@dataclass
class Figures:
    """Placements, who stayed at each check-in, and rewards owed, for one group."""

    placements: int = 0
    stayed: Counter[int] = field(default_factory=Counter)  # months -> said 还在
    left: Counter[int] = field(default_factory=Counter)  # months -> said 已离开
    unanswered: Counter[int] = field(default_factory=Counter)
    rewards_owed: int = 0  # yuan

    def add(self, placement: Placement, rule: RewardRule) -> None:
        self.placements += 1
        for checkin in placement.checkins:
            if checkin.answer is not None:
                bucket = self.stayed if checkin.answer.answer is Answer.stayed else self.left
                bucket[checkin.months] += 1
            elif checkin.asked_at is not None:
                self.unanswered[checkin.months] += 1
        if rule.earned_on(placement) is not None:
            self.rewards_owed += rule.yuan

    def as_json(self, months: Sequence[int]) -> dict[str, object]:
        return {
            "placements": self.placements,
            "retention": {
                str(m): {
                    "stayed": self.stayed[m],
                    "left": self.left[m],
                    "unanswered": self.unanswered[m],
                }
                for m in months
            },
            "rewards_owed": self.rewards_owed,
        }


@dataclass
class PlacementFigures:
    total: Figures = field(default_factory=Figures)
    by_broker: dict[str, Figures] = field(default_factory=lambda: defaultdict(Figures))
    by_county: dict[str, Figures] = field(default_factory=lambda: defaultdict(Figures))
    by_employer: dict[str, Figures] = field(default_factory=lambda: defaultdict(Figures))


def figures(
    placements: Iterable[Placement], rule: RewardRule, county_of: dict[str, str] | None = None
) -> PlacementFigures:
    """Counts by broker (code), by the broker's area (the county) and by employer."""
    out = PlacementFigures()
    for p in placements:
        out.total.add(p, rule)
        out.by_employer[p.record.employer].add(p, rule)
        if p.broker:
            out.by_broker[p.broker].add(p, rule)
            out.by_county[(county_of or {}).get(p.broker, "")].add(p, rule)
        else:
            out.by_county["（无经纪人）"].add(p, rule)
    return out
