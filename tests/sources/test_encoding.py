"""Spreadsheets from Taiwan and Hong Kong are saved as Big5: read as Big5, not as
garbled GB18030 column names; GB18030 files still read as GB18030."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobfeed.sources.config import SourceKind
from jobfeed.sources.formats import records_from_bytes, records_from_file
from jobfeed.sources.records import RawRecord

TRADITIONAL = (
    "編號,職位,單位,城市,薪資,聯繫電話\r\n"
    "B-1,高級電焊工,臺灣鋼鐵廠,臺中,月薪6000-8000元,13912345678\r\n"
    "B-2,倉庫管理員,港灣物流,高雄,面議,13812345678\r\n"
)
SIMPLIFIED = "编号,职位,单位,城市\r\nG-1,电焊工,包头铝业,包头\r\n"


def titles(records: object) -> list[str]:
    return [r.fields["title"] for r in records if isinstance(r, RawRecord)]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        (TRADITIONAL, "big5", ["高級電焊工", "倉庫管理員"]),
        (SIMPLIFIED, "gb18030", ["电焊工"]),
        (TRADITIONAL, "utf-8-sig", ["高級電焊工", "倉庫管理員"]),
    ],
)
def test_csv_bytes_and_files_in_each_encoding(
    text: str, encoding: str, expected: list[str], tmp_path: Path
) -> None:
    body = text.encode(encoding)
    unknown: set[str] = set()
    assert titles(records_from_bytes(SourceKind.csv, body, unknown)) == expected
    assert unknown == set()
    path = tmp_path / "jobs.csv"
    path.write_bytes(body)
    assert titles(records_from_file(SourceKind.csv, path, unknown)) == expected
    assert unknown == set()
