"""Simulated time: real monotonic time scaled by the simulator's speed."""

from __future__ import annotations

import time


class SimClock:
    """`now()` runs `speed` times faster than real time (speed 0 counts as 1).

    Rate limits are defined in simulated seconds, so speed=50 makes them 50x looser in
    real time while keeping Telegram's numbers in every report.
    """

    def __init__(self, speed: float) -> None:
        if speed < 0:
            raise ValueError("speed must be >= 0")
        self.speed = speed
        self._scale = speed or 1.0
        self._origin = time.monotonic()
        self._skipped = 0.0

    def now(self) -> float:
        return (time.monotonic() - self._origin) * self._scale + self._skipped

    def to_real(self, sim_seconds: float) -> float:
        return sim_seconds / self._scale

    def to_sim(self, real_seconds: float) -> float:
        return real_seconds * self._scale

    def advance(self, sim_seconds: float) -> None:
        """Jump forward, as if that much simulated time had passed."""
        if sim_seconds < 0:
            raise ValueError("time only moves forward")
        self._skipped += sim_seconds
