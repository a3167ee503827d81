"""Build templates/records_duplicates.xlsx, the duplicate-book report template.

Run once after changing the layout: `python scripts/make_template_records.py`. Teachers may then
restyle the workbook in Excel (fonts, colours, school name, widths); the engine keeps their styles.
Placeholders: `{{name}}` anywhere; the row of `{{findings.field}}` cells is the table's template row.
"""

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.properties import PageSetupProperties

OUT = Path(__file__).resolve().parents[1] / "templates" / "records_duplicates.xlsx"
THIN = Side(style="thin", color="FF999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="FFDDEBF7")
FONT = "맑은 고딕"


def printable(ws, landscape: bool = True) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "&P / &N"


def main() -> None:
    wb = Workbook()
    summary = wb.active
    summary.title = "요약"
    summary["A1"] = "{{school_name}} 독서활동 중복 도서 검사"
    summary["A1"].font = Font(name=FONT, size=16, bold=True)
    rows = [
        ("검사 일시", "{{generated_at}}"),
        ("검사 방법", "{{method_label}}"),
        ("입력 파일", "{{files}}"),
        ("검사한 학생 수", "{{students}}"),
        ("입력된 도서 수", "{{entries}}"),
        ("발견 건수", "{{findings}}"),
        ("  완전 중복", "{{exact}}"),
        ("  유사 (확인 필요)", "{{similar}}"),
        ("중복이 있는 학생 수", "{{students_with_findings}}"),
    ]
    for i, (label, value) in enumerate(rows, start=3):
        a, b = summary.cell(i, 1, label), summary.cell(i, 2, value)
        a.font = Font(name=FONT, bold=True)
        a.fill = HEAD_FILL
        b.font = Font(name=FONT)
        b.alignment = Alignment(horizontal="left", wrap_text=True)
        a.border = b.border = BOX
    note = len(rows) + 4
    summary.cell(note, 1, "안내").font = Font(name=FONT, bold=True)
    summary.cell(note + 1, 1, "완전 중복: 띄어쓰기·문장부호·괄호·권 표기를 맞추면 같은 도서명과 저자입니다.")
    summary.cell(note + 2, 1, "유사: 오타나 저자 표기 차이가 의심됩니다. 원문을 보고 확인하세요.")
    summary.cell(note + 3, 1, "'중복 목록' 시트에서 다른 글자는 빨간 굵은 글씨로 표시됩니다.")
    for r in range(note + 1, note + 4):
        summary.cell(r, 1).font = Font(name=FONT, size=10)
    summary.column_dimensions["A"].width = 24
    summary.column_dimensions["B"].width = 70
    printable(summary, landscape=False)

    ws = wb.create_sheet("중복 목록")
    ws["A1"] = "{{school_name}} 독서활동 중복 도서 목록 ({{generated_at}})"
    ws["A1"].font = Font(name=FONT, size=14, bold=True)
    headers = [
        ("순번", "seq", 6),
        ("반", "klass", 5),
        ("번호", "number", 5),
        ("성명", "name", 9),
        ("학번", "student_id", 8),
        ("구분", "kind", 9),
        ("점수", "score", 7),
        ("사유", "reason", 24),
        ("기재 내용 A", "a_text", 34),
        ("학년 A", "a_grade", 6),
        ("학기 A", "a_semester", 6),
        ("과목 A", "a_subject", 9),
        ("위치 A", "a_where", 28),
        ("기재 내용 B", "b_text", 34),
        ("학년 B", "b_grade", 6),
        ("학기 B", "b_semester", 6),
        ("과목 B", "b_subject", 9),
        ("위치 B", "b_where", 28),
        ("확인", "check", 6),
    ]
    for col, (label, field, width) in enumerate(headers, start=1):
        h = ws.cell(3, col, label)
        h.font = Font(name=FONT, bold=True)
        h.fill = HEAD_FILL
        h.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        h.border = BOX
        c = ws.cell(4, col, f"{{{{findings.{field}}}}}")
        c.font = Font(name=FONT, size=10)
        c.border = BOX
        c.alignment = Alignment(
            vertical="top", wrap_text=field in ("reason", "a_text", "b_text", "a_where", "b_where")
        )
        if field == "score":
            c.number_format = "0.00"
        ws.column_dimensions[ws.cell(3, col).column_letter].width = width
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    printable(ws)
    OUT.parent.mkdir(exist_ok=True)
    wb.save(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
