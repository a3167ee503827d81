"""Build real export files the way NEIS and teachers make them, for tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

NEIS_HEADER = ["번  호", "성  명", "학  년", "과목 또는 영역", "독서활동 상황"]

# One class: 홍길동 has 데미안 twice (retyped), 김영희 has a sequel (not a duplicate).
CLASS_ROWS: list[list[object]] = [
    ["2026학년도 3학년 2반 독서활동상황"],
    [],
    NEIS_HEADER,
    [
        1,
        "홍길동",
        1,
        "공통",
        "(1학기) 데미안(헤르만 헤세), 총, 균, 쇠(재레드 다이아몬드) (2학기) 수학의 역사(칼 보이어)",
    ],
    [None, None, 2, "국어", "(1학기) 《데미안》(헤세 저)"],
    [None, None, 3, "수학", "(2학기) 수학의 역샤(칼 보이어), 총균쇠(재레드 다이아몬드)"],
    NEIS_HEADER,
    [2, "김영희", 1, "공통", "(1학기) 미움받을 용기(기시미 이치로), 토지 1(박경리)"],
    [None, None, 2, "영어", "(2학기) 미움받을 용기 2(기시미 이치로), 토지 2(박경리)"],
]


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], merges: Sequence[str] = ()) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "독서활동상황"
    for r in rows:
        ws.append(list(r))
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[object]], encoding: str) -> Path:
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_xls(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("독서활동상황")
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            if v is not None:
                ws.write(i, j, v)
    wb.save(str(path))
    return path


def encrypt(src: Path, dst: Path, password: str) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    with src.open("rb") as fh, dst.open("wb") as out:
        OOXMLFile(fh).encrypt(password, out)
    return dst
