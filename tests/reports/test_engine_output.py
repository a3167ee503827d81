"""The template engine's output stays identical while it is made faster (issue 7).

A small report using every engine call (fill, fill_table with rich text and emphasised cells,
fill_grid-free write_grid with styles, copy_sheet) is saved, read back with openpyxl, and
compared cell by cell (values, rich-text runs, fonts, fills, borders, alignment, number formats,
row heights, print setup) with a snapshot written by the engine before the speed work.
Regenerate only on purpose: `SCHOOLAUTO_UPDATE_SNAPSHOT=1 pytest tests/reports/test_engine_output.py`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock

from schoolauto.reports import Cell, TemplateReport, diff_rich_text

SNAPSHOT = Path(__file__).with_name("engine_snapshot.json")
TITLES = [
    ("데미안(헤르만 헤세)", "《데미안》(헤세 저)"),
    ("역사의 쓸모(최태성)", "역샤의 쓸모(최태성 지음)"),
    ("토지 1(박경리)", "토지1(박경리)"),
    ("=SUM(A1)", "+연산"),
    ("같은 제목(저자)", "같은 제목(저자)"),
    ("아주 긴 제목 " * 12 + "(저자)", "아주 긴 제목 " * 11 + "(저자)"),
]


def _rows() -> list[dict[str, Any]]:
    rows = []
    for i, (a, b) in enumerate(TITLES * 3, start=1):
        rows.append(
            {
                "seq": i,
                "klass": str(1 + i % 3),
                "number": i,
                "name": "홍길동" if i % 2 else Cell("김철수", fill="FFF4CCCC", bold=True),
                "student_id": None,
                "kind": Cell("완전 중복", color="FFC00000") if i % 3 == 0 else "유사",
                "score": round(i / 7, 3),
                "reason": "오타 의심: 사↔샤",
                "a_text": diff_rich_text(a, b),
                "a_grade": "1",
                "a_semester": "1",
                "a_subject": "공통",
                "a_where": f"{i}반.xlsx\n{i + 3}행 1번째",
                "b_text": diff_rich_text(b, a),
                "b_grade": "2",
                "b_semester": "2",
                "b_subject": "국어",
                "b_where": f"{i}반.xlsx\n{i + 4}행 2번째",
                "check": Cell(None, fill="FFFFFF00") if i == 2 else None,
            }
        )
    return rows


def _build() -> bytes:
    doc = TemplateReport("records_duplicates")
    copied = doc.copy_sheet("중복 목록", "복사본: 1/2")
    doc.fill(
        {
            "school_name": "가상고등학교",
            "generated_at": "2026-01-02 03:04",
            "method_label": "기본",
            "files": "3개 파일",
            "students": 12,
            "entries": 340,
            "findings": Cell(18, bold=True),
            "exact": 6,
            "similar": 12,
            "students_with_findings": dt.date(2026, 1, 2),
        }
    )
    doc.fill_table("findings", _rows(), sheet="중복 목록")
    doc.fill_table("findings", [], sheet=copied)
    doc.write_grid(
        copied, 8, 2, [["가", Cell("나", bold=True)], [1, Cell(2.5, fill="FFDDEEFF")]], style_from=(4, 9)
    )
    doc.write_grid(copied, 12, 1, [["스타일 없음", "=1+1"]])
    return doc.to_bytes()


def _font(f: Any) -> list[Any]:
    if f is None:
        return []
    color = f.color.rgb if f.color is not None and isinstance(f.color.rgb, str) else None
    name = f.name if hasattr(f, "name") else getattr(f, "rFont", None)
    return [_plain(name), _plain(f.sz), _plain(f.b), _plain(f.i), color, _plain(f.u)]


def _plain(v: Any) -> Any:
    """openpyxl's nested values (NestedString and friends) as plain JSON values."""
    return v if v is None or isinstance(v, (str, int, float, bool)) else str(v)


def _value(v: Any) -> Any:
    if isinstance(v, CellRichText):
        return [[b.text, _font(b.font)] if isinstance(b, TextBlock) else b for b in v]
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return v


def dump(data: bytes) -> dict[str, Any]:
    wb = load_workbook(io.BytesIO(data), rich_text=True)
    out: dict[str, Any] = {"sheets": wb.sheetnames}
    for ws in wb:
        cells = []
        for row in ws.iter_rows():
            for c in row:
                cells.append(
                    [
                        c.coordinate,
                        _value(c.value),
                        c.data_type,
                        _font(c.font),
                        [
                            c.fill.fill_type,
                            c.fill.fgColor.rgb if isinstance(c.fill.fgColor.rgb, str) else None,
                        ],
                        [
                            getattr(getattr(c.border, s), "style", None)
                            for s in ("left", "right", "top", "bottom")
                        ],
                        [c.alignment.horizontal, c.alignment.vertical, c.alignment.wrap_text],
                        c.number_format,
                    ]
                )
        out[ws.title] = {
            "cells": cells,
            "heights": {str(k): d.height for k, d in sorted(ws.row_dimensions.items()) if d.height},
            "widths": {k: d.width for k, d in sorted(ws.column_dimensions.items()) if d.width},
            "freeze": ws.freeze_panes,
            "print_titles": ws.print_title_rows,
            "print_area": ws.print_area,
            "autofilter": ws.auto_filter.ref,
            "orientation": ws.page_setup.orientation,
            "fit": [
                ws.page_setup.fitToWidth,
                ws.page_setup.fitToHeight,
                ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None,
            ],
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        }
    return json.loads(json.dumps(out, ensure_ascii=False))


def test_report_is_identical_to_the_snapshot() -> None:
    got = dump(_build())
    if os.environ.get("SCHOOLAUTO_UPDATE_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(got, ensure_ascii=False, indent=0), encoding="utf-8")
    want = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert got["sheets"] == want["sheets"]
    for name in want["sheets"]:
        for key in want[name]:
            if key == "cells":
                for g, w in zip(got[name]["cells"], want[name]["cells"], strict=True):
                    assert g == w, f"{name}!{w[0]}"
            else:
                assert got[name][key] == want[name][key], f"{name}: {key}"


def test_fast_sheet_writer_writes_what_openpyxl_writes() -> None:
    """`to_bytes` writes plain sheets as text: the XML equals openpyxl's own, canonically."""
    import zipfile

    import openpyxl
    from lxml import etree

    assert openpyxl.LXML  # lxml is a dependency: without it the fast writer would never run
    rows = _rows()
    rows[0]["score"] = float("nan")
    rows[1]["klass"] = True
    rows[2]["number"] = 10**20
    rows[3]["reason"] = '  앞뒤 공백 & <괄호> "따옴표"  '
    rows[4]["reason"] = "줄\r\n바꿈\r"
    rows[5]["reason"] = "비문자\uffff\ud800 제거"
    doc = TemplateReport("records_duplicates")
    doc.fill({"school_name": "가상고등학교", "generated_at": "2026-01-02 03:04"})
    doc.fill_table("findings", rows)
    doc.wb.save(io.BytesIO())  # openpyxl adds a default or two on the first save; settle them
    buf = io.BytesIO()
    doc.wb.save(buf)  # openpyxl's own writer
    plain = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    fast = zipfile.ZipFile(io.BytesIO(doc.to_bytes()))
    sheets = [n for n in plain.namelist() if n.startswith("xl/worksheets/sheet")]
    assert len(sheets) == 2
    for name in sheets:
        want = etree.tostring(etree.fromstring(plain.read(name)), method="c14n")
        got = etree.tostring(etree.fromstring(fast.read(name)), method="c14n")
        assert got == want, name
