"""Writing the duplicate-book findings: the printable xlsx report, JSON and CSV."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..reports import TemplateReport, diff_rich_text
from .model import KIND_LABELS, DuplicateReport, Finding

TEMPLATE = "records_duplicates"
METHOD_LABELS = {
    "default": "기본 (정규화 + 자모 비교 + 저자·권 확인)",
    "ratio": "형태소 비율 (Kiwi, 발표 방식)",
}
CSV_HEADER = [
    "반", "번호", "성명", "학번", "구분", "점수", "사유",
    "기재 내용 A", "파일 A", "시트 A", "행 A", "학년 A", "학기 A", "과목 A",
    "기재 내용 B", "파일 B", "시트 B", "행 B", "학년 B", "학기 B", "과목 B",
]  # fmt: skip


def _where(f: Finding, which: str) -> str:
    s = (f.a if which == "a" else f.b).source
    return f"{s.file}\n{s.row}행 {s.index}번째"  # the sheet is in the JSON and CSV


def finding_rows(report: DuplicateReport) -> list[dict[str, Any]]:
    rows = []
    for i, f in enumerate(report.findings, start=1):
        st = f.student
        rows.append(
            {
                "seq": i,
                "klass": st.klass,
                "number": st.number,
                "name": st.name,
                "student_id": st.student_id,
                "kind": KIND_LABELS.get(f.kind, f.kind),
                "score": round(f.score, 3),
                "reason": f.reason,
                "a_text": diff_rich_text(f.a.text, f.b.text),
                "a_grade": f.a.source.grade,
                "a_semester": f.a.source.semester,
                "a_subject": f.a.source.subject,
                "a_where": _where(f, "a"),
                "b_text": diff_rich_text(f.b.text, f.a.text),
                "b_grade": f.b.source.grade,
                "b_semester": f.b.source.semester,
                "b_subject": f.b.source.subject,
                "b_where": _where(f, "b"),
                "check": None,
            }
        )
    return rows


def _files_label(files: list[str]) -> str:
    """'3개 파일: 1반.xlsx, 2반.xlsx, 3반.xlsx', shortened after a few names so the cell stays readable."""
    shown = ", ".join(files[:3])
    more = f" 외 {len(files) - 3}개" if len(files) > 3 else ""
    return f"{len(files)}개 파일: {shown}{more}"


def build_workbook(
    report: DuplicateReport, *, school_name: str = "", template: str | Path = TEMPLATE
) -> TemplateReport:
    doc = TemplateReport(template)
    if school_name:
        report.school_name = school_name
    fill_report(report, doc)
    return doc


def fill_report(report: DuplicateReport, doc: TemplateReport) -> None:
    """Fill the markers the template has: the summary placeholders and the `findings` table."""
    counts = report.counts()
    school_name = report.school_name
    doc.fill(
        {
            "school_name": school_name,
            "generated_at": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
            "method_label": METHOD_LABELS.get(report.method, report.method)
            + (f", 기준 {report.cutoff}" if report.method == "ratio" else ""),
            "files": _files_label(report.dataset.files)
            + "".join(f"\n건너뜀: {s.path} ({s.reason})" for s in report.dataset.skipped),
            "students": report.dataset.student_count,
            "entries": len(report.dataset.entries),
            "findings": len(report.findings),
            "exact": counts["exact"],
            "similar": counts["similar"],
            "students_with_findings": len({f.student.key for f in report.findings}),
        }
    )
    doc.fill_table("findings", finding_rows(report))


def csv_rows(report: DuplicateReport) -> list[list[Any]]:
    out = []
    for f in report.findings:
        st = f.student
        row: list[Any] = [
            st.klass,
            st.number,
            st.name,
            st.student_id,
            KIND_LABELS[f.kind],
            round(f.score, 4),
            f.reason,
        ]
        for e in (f.a, f.b):
            s = e.source
            row += [e.text, s.file, s.sheet, s.row, s.grade, s.semester, s.subject]
        out.append(row)
    return out
