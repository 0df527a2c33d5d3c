"""The ledger, the reward roster and the figures, read from the placements and brokers:
one use case for the API, the dashboard and the brokers' chat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jobfeed.brokers.models import Broker
from jobfeed.brokers.repository import BrokerRepository
from jobfeed.placements.identity import IdNumbers
from jobfeed.placements.ledger import (
    LEDGER_HEADERS,
    REWARD_HEADERS,
    LedgerFilter,
    PlacementFigures,
    RewardRule,
    checkin_headers,
    figures,
    ledger_rows,
    reward_rows,
)
from jobfeed.placements.models import Placement
from jobfeed.placements.repository import PlacementRepository
from jobfeed.sheets import Cell

ID_HEADER = "身份证号（隐去）"


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: list[list[Cell]]
    numbers: list[int]  # the placements (= applications) whose rows these are

    @property
    def size(self) -> int:
        return len(self.rows)


class Reports:
    def __init__(
        self,
        placements: PlacementRepository,
        brokers: BrokerRepository,
        rule: RewardRule,
        ids: IdNumbers | None = None,
    ) -> None:
        self.placements = placements
        self.brokers = brokers
        self.rule = rule
        self.ids = ids  # ID numbers, when an office turned them on: always masked

    async def _brokers(self) -> dict[str, Broker]:
        return {b.code: b for b in await self.brokers.approved()}

    async def selected(self, wanted: LedgerFilter) -> list[Placement]:
        found = await self.placements.started_between(wanted.first, wanted.last)
        return [p for p in found if wanted.keeps(p)]

    async def ledger(
        self, wanted: LedgerFilter, *, masked: bool, broker: str | None = None
    ) -> Table:
        """One row per placement; ``broker``: only the placements that broker brought."""
        chosen = [p for p in await self.selected(wanted) if broker is None or p.broker == broker]
        months = self.placements.months
        rows = ledger_rows(
            chosen, await self._brokers(), months, self.placements.zone, masked=masked
        )
        headers = LEDGER_HEADERS + checkin_headers(months)
        numbers = [p.number for p in chosen]
        if self.ids is not None:
            masked_ids = await self.ids.masked(numbers)
            headers += (ID_HEADER,)
            rows = [[*row, masked_ids.get(n, "")] for row, n in zip(rows, numbers, strict=True)]
        return Table("台账", headers, rows, numbers)

    async def rewards(self, month: str, *, masked: bool) -> Table:
        """Rewards earned in ``month`` (``YYYY-MM``): every placement that could have
        earned one then (started at least the rule's months before the month's end)."""
        year, number = (int(part) for part in month.split("-"))
        last = date(year + number // 12, number % 12 + 1, 1)
        everything = await self.placements.started_between(None, last)
        rows = reward_rows(
            everything,
            await self._brokers(),
            self.rule,
            month,
            self.placements.zone,
            masked=masked,
        )
        numbers = [int(r[4]) for r in rows if isinstance(r[4], int)]
        return Table(f"经纪人奖励{month}", REWARD_HEADERS, rows, numbers)

    async def figures(self, wanted: LedgerFilter) -> PlacementFigures:
        brokers = await self._brokers()
        areas = {code: b.area for code, b in brokers.items()}
        return figures(await self.selected(wanted), self.rule, areas)
