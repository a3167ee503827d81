"""Ingest edge cases every module relies on."""

from __future__ import annotations

from pathlib import Path

import pytest

from schoolauto.errors import InputFileError, MissingColumnsError
from schoolauto.ingest import ColumnSpec, expand_inputs, normalize_header, read_sheets, read_table

SPECS = [
    ColumnSpec("id", ("학번",)),
    ColumnSpec("name", ("성명", "이름")),
    ColumnSpec("memo", ("비고",), required=False),
]


@pytest.mark.parametrize(
    ("raw", "norm"), [("성  명", "성명"), ("학 년", "학년"), ("번　호", "번호"), ("과목(영역)", "과목영역")]
)
def test_normalize_header(raw: str, norm: str) -> None:
    assert normalize_header(raw) == norm


def test_html_saved_as_xls(tmp_path: Path) -> None:
    p = tmp_path / "neis.xls"
    p.write_text(
        "<html><body><table><tr><td colspan=2>제목</td></tr><tr><th>학 번</th><th>성 명</th></tr>"
        "<tr><td>10101</td><td>홍길동</td></tr></table></body></html>",
        encoding="cp949",
    )
    records = read_table(p, SPECS)
    assert [(r.get("id"), r.get("name"), r.row) for r in records] == [("10101", "홍길동", 3)]


def test_tsv_title_rows_and_repeated_header(tmp_path: Path) -> None:
    p = tmp_path / "r.tsv"
    p.write_text(
        "명렬표\n\n학번\t성명\t비고\n10101\t홍길동\t\n학번\t성명\t비고\n10102\t김영희\t전학\n",
        encoding="utf-8",
    )
    assert [(r.get("id"), r.get("memo"), r.row) for r in read_table(p, SPECS)] == [
        ("10101", "", 4),
        ("10102", "전학", 6),
    ]


def test_numbers_are_text_without_float_noise(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["학번", "성명"])
    wb.active.append([10101, "홍길동"])
    wb.save(tmp_path / "a.xlsx")
    assert read_table(tmp_path / "a.xlsx", SPECS)[0].get("id") == "10101"


def test_missing_columns_message(tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    p.write_text("번호,이름\n1,홍길동\n", encoding="utf-8")
    with pytest.raises(MissingColumnsError) as exc:
        read_table(p, SPECS)
    assert (
        str(exc.value)
        == "파일 a.csv: 필요한 열이 없습니다: 학번 / 찾은 열: 번호, 이름 (필요한 열: 학번, 성명)"
    )


def test_binary_and_folder_errors(tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    p.write_bytes(b"\x00\x01\x02binary\x00")
    with pytest.raises(InputFileError, match="표 파일이 아닙니다"):
        read_sheets(p)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputFileError, match="폴더에 읽을 표 파일"):
        expand_inputs([empty])


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "그림(PNG)"),
        (b"\xff\xd8\xff\xe0", "그림(JPEG)"),
    ],
)
def test_pictures_and_pdfs_are_named(tmp_path: Path, head: bytes, kind: str) -> None:
    p = tmp_path / "scan.xlsx"
    p.write_bytes(head + b"\x00" * 64)
    with pytest.raises(InputFileError) as exc:
        read_sheets(p)
    assert (
        str(exc.value) == f"파일 scan.xlsx: 표 파일이 아닙니다 ({kind} 파일) (xlsx, xls, csv 파일을 주세요)"
    )
