"""A table as a file to download (XLSX or CSV, ``jobfeed.sheets``): one response for the
API and the dashboard, its Chinese file name encoded as RFC 6266 asks."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from aiohttp import web

from jobfeed.sheets import CSV_TYPE, XLSX_TYPE, Cell, to_csv, to_xlsx


def sheet_download(
    fmt: str, title: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]], name: str
) -> web.Response:
    """``fmt`` "csv", else XLSX (``title`` names its sheet); ``name`` without the suffix."""
    if fmt == "csv":
        body, kind, suffix = to_csv(headers, rows), CSV_TYPE, "csv"
    else:
        body, kind, suffix = to_xlsx(title, headers, rows), XLSX_TYPE, "xlsx"
    filename = quote(f"{name}.{suffix}")
    return web.Response(
        body=body,
        headers={
            "Content-Type": kind,
            "Content-Disposition": f"attachment; filename*=UTF-8''{filename}",
        },
    )
