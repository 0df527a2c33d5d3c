"""At Telegram's ceiling (the default GLOBAL_RATE, 30): every slot used, no 429, at any
speed.

Efficiency is measured where Telegram counts: over the simulator's arrival stamps, in
simulated seconds. Each window costs about one round trip to the simulator, a larger
share the faster simulated time runs (a tenth of a real second per window at speed 10,
where this process also plays Telegram at 300 requests a second): there only "no 429"
is asserted.
"""

from __future__ import annotations

import pytest

from bot.config import Settings
from jobfeed.broadcast.models import Status
from tests.broadcast.conftest import Rig

TELEGRAM_GLOBAL = 30


@pytest.mark.parametrize(
    ("speed", "groups", "efficiency"), [(1.0, 150, 0.97), (3.0, 300, 0.9), (10.0, 300, 0.0)]
)
async def test_at_the_ceiling_no_request_is_refused(
    rig: Rig, speed: float, groups: int, efficiency: float
) -> None:
    await rig.load(groups)
    broadcast_id = await rig.create()

    default_rate = Settings.model_fields["global_rate"].default
    [done] = await rig.run(broadcast_id, workers=[rig.worker(rig.pacer(default_rate))])

    assert done.status is Status.done and done.delivered == groups
    assert rig.sim.count_429 == 0
    arrivals = sorted(m.sim_at for m in rig.sim.sent)
    achieved = (len(arrivals) - 1) / (arrivals[-1] - arrivals[0])
    assert achieved / TELEGRAM_GLOBAL >= efficiency
