"""What a broker sees of their work: people brought, applications, hires, who is still at
work at each check-in, the reward owed, and the month's leaderboard of their area."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from jobfeed.applications.repository import ApplicationRepository
from jobfeed.brokers.models import Broker
from jobfeed.placements.ledger import LedgerFilter
from jobfeed.placements.reports import Reports


@dataclass(frozen=True, slots=True)
class Standing:
    broker: Broker
    visits: int
    people: int
    applications: int
    hires: int
    still_at_work: dict[int, int]  # check-in month -> workers who said 还在
    reward_owed: int  # yuan
    leaderboard: list[tuple[str, int]] = field(default_factory=list)  # (name, hires this month)


async def standing(
    broker: Broker,
    reports: Reports,
    applications: ApplicationRepository,
    now: datetime,
) -> Standing:
    brokers = reports.brokers
    people = await brokers.people(broker.code)
    filed = 0
    for person in people:
        filed += len(await applications.for_applicant(person, limit=100))
    everything = await reports.selected(LedgerFilter())
    mine = [p for p in everything if p.broker == broker.code]
    months = reports.placements.months
    still = {m: sum(1 for p in mine if p.stayed(m)) for m in months}
    owed = sum(reports.rule.yuan for p in mine if reports.rule.earned_on(p) is not None)
    # This month's hires by the brokers of the same area.
    local = now.astimezone(reports.placements.zone)
    month = (local.year, local.month)
    area = {b.code: b for b in await brokers.approved() if b.area == broker.area}
    counts: Counter[str] = Counter(
        p.broker for p in everything if p.broker in area and (p.start.year, p.start.month) == month
    )
    board = [(area[code].name, n) for code, n in counts.most_common(10)]
    return Standing(
        broker=broker,
        visits=await brokers.visits(broker.code),
        people=await brokers.brought(broker.code),
        applications=filed,
        hires=len(mine),
        still_at_work=still,
        reward_owed=owed,
        leaderboard=board,
    )
