"""Running under libfaketime (``make test-future``: the suite with the clock moved ahead).

Some programs cannot run under it: redis-server crashes at start and chromium never loads a
page. They are started with the real clock, which is what they would have in production
anyway: only our own code's sense of the date is under test.
"""

from __future__ import annotations

import os
import select

FAKETIME_VARIABLES = ("LD_PRELOAD", "FAKETIME", "FAKETIME_DONT_FAKE_MONOTONIC")


def under_faketime() -> bool:
    return "faketime" in os.environ.get("LD_PRELOAD", "")


def real_clock_environment() -> dict[str, str]:
    """This process's environment minus libfaketime, for a program started from a test."""
    return {k: v for k, v in os.environ.items() if k not in FAKETIME_VARIABLES}


def select_sleep(seconds: float) -> None:
    """``time.sleep`` for use under libfaketime with the monotonic clock left real: there
    Python 3.11's ``time.sleep`` fails with EINVAL (libfaketime bug 426, its
    ``clock_nanosleep`` with ``TIMER_ABSTIME``); a relative ``select()`` timeout does not."""
    select.select([], [], [], seconds)
