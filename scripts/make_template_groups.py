"""Build the roster and group report templates: templates/roster.xlsx, templates/groups_report.xlsx.

Run from the repository root: `.venv/bin/python scripts/make_template_groups.py`. It only makes a plain
starting file: the committed templates are the source of truth (edited directly), and the code reads
only their `{{...}}` markers, so a teacher may restyle and move everything as long as they stay.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

ROOT = Path(__file__).resolve().parents[1]
THIN = Side(style="thin", color="FF999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="FFDDE6F0")
FONT = "맑은 고딕"


def _print_setup(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5


def _table(ws: Worksheet, header_row: int, headers: list[tuple[str, str, int]], table: str) -> None:
    """A header row and, below it, the template row of `{{table.field}}` cells."""
    for col, (title, fld, width) in enumerate(headers, start=1):
        h = ws.cell(header_row, col, title)
        h.font = Font(name=FONT, bold=True)
        h.fill = HEAD_FILL
        h.border = BOX
        h.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        t = ws.cell(header_row + 1, col, f"{{{{{table}.{fld}}}}}")
        t.font = Font(name=FONT)
        t.border = BOX
        t.alignment = Alignment(vertical="center", wrap_text=fld in ("detail", "attrs", "ids"))
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(header_row + 1, 1).coordinate
    ws.print_title_rows = f"{header_row}:{header_row}"
    last = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A{header_row}:{last}{header_row + 1}"


def _title(ws: Worksheet, text: str, subtitle: str | None = None) -> None:
    ws.cell(1, 1, text).font = Font(name=FONT, bold=True, size=14)
    if subtitle:
        ws.cell(2, 1, subtitle).font = Font(name=FONT, size=10, color="FF555555")


def build_roster(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "명렬표"
    _title(ws, "{{title}}", "{{summary}}")
    headers = [
        ("학번", "student_id", 9),
        ("학년", "grade", 6),
        ("반", "klass", 5),
        ("번호", "number", 6),
        ("성명", "name", 10),
        ("성별", "gender", 6),
        ("MBTI", "mbti", 7),
        ("수준", "level", 6),
        ("성적", "score", 7),
        ("이전반", "previous_class", 7),
        ("특수학급", "special", 8),
        ("연락처", "phone", 15),
        ("이메일", "email", 28),
    ]
    _table(ws, 4, headers, "s")
    _print_setup(ws)
    wb.save(path)


def build_groups_report(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "요약"
    _title(ws, "{{title}}", "{{subtitle}}")
    info = [
        ("상태", "{{status}}"),
        ("목적값(분산 합)", "{{objective}}"),
        ("하한(증명된 최선)", "{{bound}}"),
        ("간격(gap)", "{{gap}}"),
        ("풀이 시간(초)", "{{seconds}}"),
        ("풀이기", "{{solver}}"),
        ("{{unit}} 크기", "{{sizes}}"),
    ]
    for i, (label, value) in enumerate(info, start=3):
        a = ws.cell(i, 1, label)
        a.font = Font(name=FONT, bold=True)
        a.fill = HEAD_FILL
        a.border = BOX
        b = ws.cell(i, 2, value)
        b.font = Font(name=FONT)
        b.border = BOX
        b.alignment = Alignment(horizontal="left")
    # The per-group headcount matrix is written at run time from row 12 (its width is not known here).
    ws.cell(11, 1, "{{unit}}별 인원 (마지막 줄: 표준편차)").font = Font(name=FONT, bold=True)
    grid_head = ws.cell(12, 1, "{{summary:grid}}")
    grid_head.font = Font(name=FONT, bold=True)
    grid_head.fill = HEAD_FILL
    grid_head.border = BOX
    grid_head.alignment = Alignment(horizontal="center", wrap_text=True)
    grid_body = ws.cell(13, 1, "{{summary:body}}")
    grid_body.font = Font(name=FONT)
    grid_body.border = BOX
    grid_body.alignment = Alignment(horizontal="center")
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 14
    for col in range(3, 40):
        ws.column_dimensions[get_column_letter(col)].width = 9
    _print_setup(ws)

    members = wb.create_sheet("모둠별 명단")
    _title(members, "{{title}} — {{unit}}별 명단")
    _table(
        members,
        3,
        [
            ("{{unit}}", "group", 7),
            ("순", "seq", 5),
            ("학번", "id", 10),
            ("성명", "name", 12),
            ("특성", "attrs", 60),
        ],
        "m",
    )
    _print_setup(members)

    checks = wb.create_sheet("제약 확인")
    _title(checks, "{{title}} — 제약 확인")
    _table(
        checks,
        3,
        [("유형", "kind", 10), ("대상", "ids", 40), ("배정 결과", "detail", 45), ("지켜짐", "ok", 8)],
        "c",
    )
    _print_setup(checks)
    wb.save(path)


def main() -> None:
    build_roster(ROOT / "templates" / "roster.xlsx")
    build_groups_report(ROOT / "templates" / "groups_report.xlsx")
    print("templates/roster.xlsx, templates/groups_report.xlsx")


if __name__ == "__main__":
    main()
