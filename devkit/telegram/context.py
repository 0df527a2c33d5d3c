"""The state every API method handler works on."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .clock import SimClock
from .faults import Faults
from .limits import RateLimiter
from .models import Rejection
from .state import World
from .updates import UpdateQueue


@dataclass(slots=True)
class Stats:
    requests: Counter[str] = field(default_factory=Counter)
    count_by_status: Counter[int] = field(default_factory=Counter)
    rejections: list[Rejection] = field(default_factory=list)


@dataclass(slots=True)
class SimContext:
    world: World
    updates: UpdateQueue
    limits: RateLimiter
    faults: Faults
    clock: SimClock
    stats: Stats = field(default_factory=Stats)
