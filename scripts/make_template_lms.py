"""Build templates/lms_missing.xlsx, the report template of `schoolauto lms missing`.

Run: .venv/bin/python scripts/make_template_lms.py — this only makes a starting file: the code reads
nothing but the markers, so a teacher may restyle it, move tables, add a school name, in Excel.
Markers: `{{s.field}}` (summary table row), `{{matrix:grid}}` (the students × assignments block of
the sheet copied per class; its style is the header's) with `{{matrix:body}}` right below it (the
body's style), `{{e.field}}` (classes that could not be read), `{{lms}}`-style placeholders.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

OUT = Path(__file__).resolve().parents[1] / "templates" / "lms_missing.xlsx"
THIN = Side(style="thin", color="FF999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="FFDDEBF7")
FONT = "맑은 고딕"


def _print_setup(ws: Worksheet, header_row: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.freeze_panes = ws.cell(header_row + 1, 1).coordinate
    ws.print_options.horizontalCentered = True


def _title(ws: Worksheet, title: str, sub: str) -> None:
    ws["A1"] = title
    ws["A1"].font = Font(name=FONT, size=14, bold=True)
    ws["A2"] = sub
    ws["A2"].font = Font(name=FONT, size=9, color="FF555555")


def _table(ws: Worksheet, row: int, headers: list[tuple[str, str, int]], table: str) -> None:
    for col, (label, fieldname, width) in enumerate(headers, start=1):
        h = ws.cell(row, col, label)
        h.font = Font(name=FONT, bold=True)
        h.fill = HEAD_FILL
        h.border = BOX
        h.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c = ws.cell(row + 1, col, f"{{{{{table}.{fieldname}}}}}" if fieldname else None)
        c.font = Font(name=FONT)
        c.border = BOX
        c.alignment = Alignment(vertical="center", horizontal="left" if col <= 2 else "center")
        ws.column_dimensions[c.column_letter].width = width


def build() -> Workbook:
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "요약"
    _title(
        summary,
        "과제 미제출 요약",
        "{{lms}} · {{generated_at}} 기준 · 반 {{class_count}}개, 과제 {{assignment_count}}개",
    )
    _table(
        summary,
        4,
        [
            ("반", "class_name", 14),
            ("과제", "title", 30),
            ("종류", "kind", 8),
            ("마감", "due", 17),
            ("대상", "group", 12),
            ("대상 인원", "assigned", 9),
            ("제출", "submitted", 8),
            ("미제출", "missing", 8),
            ("시작만 함", "started", 9),
            ("미제출률", "rate", 9),
        ],
        "s",
    )
    summary["J5"].number_format = "0%"
    _print_setup(summary, 4)

    cls = wb.create_sheet("반")
    _title(
        cls,
        "{{class_name}} 과제 미제출 현황",
        "{{lms}} · {{generated_at}} 기준 · ✗ 시작 안 함 · △ 시작했지만 미제출 · 빨간 칸: 상습 미제출",
    )
    head = cls.cell(4, 1, "{{matrix:grid}}")
    head.font = Font(name=FONT, bold=True)
    head.fill = HEAD_FILL
    head.border = BOX
    head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    body = cls.cell(5, 1, "{{matrix:body}}")
    body.font = Font(name=FONT)
    body.border = BOX
    body.alignment = Alignment(horizontal="center", vertical="center")
    for col, width in enumerate([6, 12, 12], start=1):
        cls.column_dimensions[cls.cell(4, col).column_letter].width = width
    cls.row_dimensions[4].height = 48
    _print_setup(cls, 4)
    cls.freeze_panes = "D5"

    err = wb.create_sheet("오류")
    _title(err, "읽지 못한 반", "{{lms}} · {{generated_at}}")
    _table(err, 4, [("반", "class_name", 16), ("내용", "message", 90)], "e")
    _print_setup(err, 4)
    return wb


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    build().save(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
