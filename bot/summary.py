"""The statistics summary as label/value rows, for the demo's closing table and the CLI."""

from __future__ import annotations

from bot.dashboard import BASE
from jobfeed.stats import PeriodStats, Stats


def dashboard_url(base_url: str) -> str:
    """Where the dashboard is, given the HTTP server's base URL (``http://host:port``)."""
    return base_url.rstrip("/") + BASE + "/"


def _failures(period: PeriodStats) -> str:
    if not period.failed:
        return "0"
    reasons = ", ".join(f"{reason} {count}" for reason, count in period.failures.items())
    return f"{period.failed} ({reasons})"


async def stats_rows(stats: Stats) -> list[tuple[str, str]]:
    """Today and the last 7 days, as ``/stats`` and ``/api/stats`` report them."""
    report = await stats.report()
    rows: list[tuple[str, str]] = []
    for name, period in (("today", report.today), ("7 days", report.week)):
        rows += [
            (f"broadcasts {name}", str(period.broadcasts)),
            (f"deliveries {name}", str(period.delivered)),
            (f"failures {name}", _failures(period)),
            (
                f"searches {name} (zero results)",
                f"{period.queries} ({period.zero_result_queries})",
            ),
            (f"applications {name}", _applications(period)),
        ]
    rows.append(("groups active / inactive", f"{report.groups_active} / {report.groups_inactive}"))
    return rows


def _applications(period: PeriodStats) -> str:
    """``5 (telegram 3, web 2)``: the total and, when there are any, per source."""
    sources = ", ".join(f"{s} {n}" for s, n in period.applications_by_source.items())
    return f"{period.applications} ({sources})" if sources else str(period.applications)
