"""The missing-work report as JSON, CSV and an xlsx filled from `templates/lms_missing.xlsx`.

These are the `Reportable` methods of `MissingReport` (see `schoolauto.outputs`). The xlsx layout
lives in the template only: a `{{s.field}}` table row for the summary, a `{{matrix:grid}}` cell
(header style; `{{matrix:body}}` below it for the body style) on the sheet copied per class, and a
`{{e.field}}` table for the classes that could not be read. No cell address is written here.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import TYPE_CHECKING, Any

from openpyxl.utils import get_column_letter

from ..reports.engine import Cell
from .model import AssignmentMissing, ClassMissing, MissingReport, Status

if TYPE_CHECKING:
    from ..reports.engine import TemplateReport

TEMPLATE = "lms_missing"
MARK = {Status.NOT_STARTED: "✗", Status.STARTED: "△"}
KIND_KO = {"quiz": "퀴즈", "lesson": "레슨", "assignment": "과제"}
MISSING_STATUS_KO = {Status.NOT_STARTED: "시작 안 함", Status.STARTED: "시작만 함", Status.SUBMITTED: "제출"}
CHRONIC_FILL = "FFF4CCCC"
CSV_HEADER = ["반", "과제", "종류", "마감", "이름", "아이디", "상태", "늦음"]
MIN_COLUMN_WIDTH = 12


def _due(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


NO_DUE_DATE = "기한 없음"


def _due_text(a: AssignmentMissing) -> str:
    """The due date as the teacher reads it; work the LMS gives no due date says so."""
    if a.assignment.due is None and a.assignment.no_due_date:
        return NO_DUE_DATE
    return _local(a.assignment.due)


def _local(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone()
    return value.strftime("%Y-%m-%d %H:%M")


def target_of(a: AssignmentMissing) -> str:
    """`class`, `groups`, `learners` or `groups+learners`: how the work was given (`listed`: the LMS
    showed whom it is for but not how, as browser pages do)."""
    if a.assignment.whole_class:
        return "class"
    if a.assignment.listed:
        return "listed"
    if a.group_names and a.individual:
        return "groups+learners"
    return "groups" if a.group_names else "learners"


def target_label(a: AssignmentMissing) -> str:
    """'반 전체', '1모둠', '개별 6명', '2모둠 + 개별 2명' ('명단 16명' when only the list is known)."""
    if a.assignment.whole_class:
        return "반 전체"
    if a.assignment.listed:
        return f"명단 {a.assigned}명"
    parts = list(a.group_names)
    if a.individual or not parts:
        parts.append(f"개별 {a.individual}명")
    return " + ".join(parts)


def report_to_dict(report: MissingReport) -> dict[str, Any]:
    """The documented JSON shape (docs/schemas/lms-missing.schema.json)."""
    return {
        "lms": report.lms,
        "generated_at": report.generated_at.isoformat(timespec="seconds"),
        "classes": [
            {
                "name": c.course.name,
                "id": c.course.id,
                "student_count": len(c.students),
                "assignments": [
                    {
                        "title": a.assignment.title,
                        "kind": a.assignment.kind,
                        "id": a.assignment.id,
                        "due": _due(a.assignment.due),
                        "no_due_date": a.assignment.no_due_date,
                        "target": target_of(a),
                        "groups": list(a.group_names),
                        "assigned": a.assigned,
                        "submitted": a.submitted,
                        "missing": [
                            {
                                "name": m.student.name,
                                "username": m.student.username,
                                "status": m.status.value,
                                "late": m.late,
                            }
                            for m in a.missing
                        ],
                    }
                    for a in c.assignments
                ],
            }
            for c in report.classes
        ],
        "errors": [{"class": e.class_name, "message": e.message} for e in report.errors],
        "warnings": list(report.warnings),
    }


def csv_table(report: MissingReport) -> tuple[list[str], list[list[Any]]]:
    """One row per missing (student, assignment)."""
    rows = []
    for c in report.classes:
        for a in c.assignments:
            for m in a.missing:
                rows.append(
                    [
                        c.course.name,
                        a.assignment.title,
                        KIND_KO.get(a.assignment.kind, a.assignment.kind),
                        _due_text(a),
                        m.student.name,
                        m.student.username or "",
                        MISSING_STATUS_KO[m.status],
                        "예" if m.late else "",
                    ]
                )
    return list(CSV_HEADER), rows


def is_chronic(missing: int, assigned: int) -> bool:
    """Missed at least two pieces of work and at least half of what was assigned."""
    return missing >= 2 and missing >= math.ceil(assigned / 2)


def column_title(a: AssignmentMissing) -> str:
    """An assignment's column header: its title, and its target unless the title already says it."""
    label = "" if a.assignment.whole_class else target_label(a)
    if not label or (all(g in a.assignment.title for g in a.group_names) and not a.individual):
        return a.assignment.title
    return f"{a.assignment.title}\n({label})"


def class_grid(c: ClassMissing) -> list[list[Any]]:
    """The students × assignments block of one class: header, one row per student, totals."""
    marks = [{e.student.id: MARK[e.status] for e in a.missing} for a in c.assignments]
    grid: list[list[Any]] = [
        ["번호", "이름", "아이디", *(column_title(a) for a in c.assignments), "미제출 수"]
    ]
    for i, s in enumerate(c.students, start=1):
        missing = sum(1 for m in marks if s.id in m)
        assigned = sum(1 for a in c.assignments if s.id in a.assigned_ids)
        row: list[Any] = [i, s.name, s.username or ""]
        for a, m in zip(c.assignments, marks, strict=True):
            row.append(m.get(s.id, "" if s.id in a.assigned_ids else "-"))
        row.append(missing)
        if is_chronic(missing, assigned):
            row = [Cell(v, fill=CHRONIC_FILL, bold=True) for v in row]
        grid.append(row)
    totals: list[Any] = ["", "미제출 수", "", *(len(a.missing) for a in c.assignments), ""]
    grid.append([Cell(v, bold=True) for v in totals])
    return grid


def summary_rows(report: MissingReport) -> list[dict[str, Any]]:
    rows = []
    for c in report.classes:
        for a in c.assignments:
            rows.append(
                {
                    "class_name": c.course.name,
                    "title": a.assignment.title,
                    "kind": KIND_KO.get(a.assignment.kind, a.assignment.kind),
                    "due": _due_text(a),
                    "group": target_label(a),
                    "assigned": a.assigned,
                    "submitted": a.submitted,
                    "missing": len(a.missing),
                    "started": sum(1 for m in a.missing if m.status is Status.STARTED),
                    "rate": (len(a.missing) / a.assigned) if a.assigned else 0,
                }
            )
    return rows


def fill_template(report: MissingReport, doc: TemplateReport) -> None:
    """Per class a copy of the matrix sheet; the summary table; the error table (or no error sheet)."""
    stamp = _local(report.generated_at)
    values = {
        "lms": report.lms,
        "generated_at": stamp,
        "class_count": len(report.classes),
        "assignment_count": sum(len(c.assignments) for c in report.classes),
    }
    class_sheet = doc.grid_anchor("matrix")[0]
    error_sheet = doc.table_sheet("e")
    titles: list[str] = []
    for c in report.classes:
        title = doc.copy_sheet(class_sheet, c.course.name)
        titles.append(title)
        doc.fill({**values, "class_name": c.course.name}, [title])
        sheet, top, left, bottom, right = doc.fill_grid("matrix", class_grid(c), sheet=title)
        ws = doc.sheet(sheet)
        for col in range(left, right + 1):
            dim = ws.column_dimensions[get_column_letter(col)]
            if not dim.width or (dim.width < MIN_COLUMN_WIDTH and col >= left + 3):
                dim.width = MIN_COLUMN_WIDTH
        ws.auto_filter.ref = f"{get_column_letter(left)}{top}:{get_column_letter(right)}{bottom - 1}"
        ws.print_area = f"A1:{get_column_letter(right)}{bottom}"
    doc.remove_sheet(class_sheet)
    rest = [s for s in doc.wb.sheetnames if s not in titles]
    doc.fill(values, rest)
    doc.fill_table("s", summary_rows(report))
    if report.errors:
        doc.fill_table("e", [{"class_name": e.class_name, "message": e.message} for e in report.errors])
    else:
        doc.remove_sheet(error_sheet)


__all__ = ["class_grid", "csv_table", "fill_template", "is_chronic", "report_to_dict", "target_label"]
