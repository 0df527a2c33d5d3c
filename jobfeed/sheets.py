"""Tables as files an office opens: XLSX (openpyxl) and CSV with a BOM, so that Excel reads
the Chinese headers as UTF-8."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

Cell = str | int | float
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def safe(cell: Cell) -> Cell:
    """Text a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) kept as
    text: names and answers come from outside."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@"):
        return "'" + cell
    return cell


def to_xlsx(title: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = title[:31]  # Excel's limit on sheet names
    sheet.append(list(headers))
    for row in rows:
        sheet.append([safe(cell) for cell in row])
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        widest = max([len(str(r[index - 1])) for r in rows] + [len(header)])
        sheet.column_dimensions[get_column_letter(index)].width = min(40, 2 * widest + 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows([safe(cell) for cell in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")
