"""Collect non-submitters from a driver, and write them as JSON, CSV or an xlsx report."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import SchoolautoError
from ..fileio import write_csv, write_json
from ..reports.engine import Cell, TemplateReport
from .base import Driver
from .model import AssignmentMissing, ClassFailure, ClassMissing, MissingReport, Status, find_missing

log = logging.getLogger(__name__)

TEMPLATE = "lms_missing"
MARK = {Status.NOT_STARTED: "✗", Status.STARTED: "△"}
KIND_KO = {"quiz": "퀴즈", "lesson": "레슨", "assignment": "과제"}
CHRONIC_FILL = "FFF4CCCC"


def collect_missing(
    driver: Driver,
    *,
    lms_name: str,
    classes: Sequence[str] = (),
    kinds: Sequence[str] = (),
    now: datetime | None = None,
) -> MissingReport:
    """Log in once, read every class (or only `classes`), and list who has not submitted.

    Wrong credentials stop the run (`AuthError`); a class that fails is listed under `errors`
    while the others are still reported.
    """
    report = MissingReport(lms=lms_name, generated_at=now or datetime.now(UTC))
    driver.login()
    courses = driver.list_classes()
    if classes:
        wanted = list(classes)
        by_name = {c.name: c for c in courses}
        courses = [by_name[n] for n in wanted if n in by_name]
        for n in wanted:
            if n not in by_name:
                report.errors.append(ClassFailure(n, "LMS 에 이 이름의 반이 없습니다"))
    for course, result in driver.fetch_classes(courses):
        if isinstance(result, SchoolautoError):
            log.info("a class could not be read: %s", result)  # the CLI reports it in Korean
            report.errors.append(ClassFailure(course.name, str(result)))
            continue
        report.classes.append(find_missing(result, tuple(kinds) or None))
    return report


def _due(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def report_to_dict(report: MissingReport) -> dict[str, Any]:
    """The documented JSON shape (docs/lms.md): classes → assignments → missing, plus errors."""
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
    }


CSV_HEADER = ["반", "과제", "종류", "마감", "이름", "아이디", "상태", "늦음"]
STATUS_KO = {Status.NOT_STARTED: "시작 안 함", Status.STARTED: "시작만 함", Status.SUBMITTED: "제출"}


def report_csv_rows(report: MissingReport) -> list[list[Any]]:
    rows = []
    for c in report.classes:
        for a in c.assignments:
            for m in a.missing:
                rows.append(
                    [
                        c.course.name,
                        a.assignment.title,
                        KIND_KO.get(a.assignment.kind, a.assignment.kind),
                        _local(a.assignment.due),
                        m.student.name,
                        m.student.username or "",
                        STATUS_KO[m.status],
                        "예" if m.late else "",
                    ]
                )
    return rows


def write_report_json(report: MissingReport, path: str | Path, *, overwrite: bool = False) -> Path:
    return write_json(path, report_to_dict(report), overwrite=overwrite)


def write_report_csv(report: MissingReport, path: str | Path, *, overwrite: bool = False) -> Path:
    return write_csv(path, CSV_HEADER, report_csv_rows(report), overwrite=overwrite)


def _local(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone()
    return value.strftime("%Y-%m-%d %H:%M")


def is_chronic(missing: int, assigned: int) -> bool:
    """Missed at least two pieces of work and at least half of what was assigned."""
    return missing >= 2 and missing >= math.ceil(assigned / 2)


def write_report_xlsx(
    report: MissingReport,
    path: str | Path,
    *,
    overwrite: bool = False,
    template: str | Path = TEMPLATE,
    password: str | None = None,
) -> Path:
    """Per class a sheet of students × assignments (✗ missing, △ started), counts, chronic rows red."""
    rep = TemplateReport(template)
    stamp = _local(report.generated_at)
    summary_rows = []
    for c in report.classes:
        for a in c.assignments:
            started = sum(1 for m in a.missing if m.status is Status.STARTED)
            summary_rows.append(
                {
                    "class_name": c.course.name,
                    "title": a.assignment.title,
                    "kind": KIND_KO.get(a.assignment.kind, a.assignment.kind),
                    "due": _local(a.assignment.due),
                    "group": ", ".join(a.group_names) or "반 전체",
                    "assigned": a.assigned,
                    "submitted": a.submitted,
                    "missing": len(a.missing),
                    "started": started,
                    "rate": (len(a.missing) / a.assigned) if a.assigned else 0,
                }
            )
    for c in report.classes:
        title = rep.copy_sheet("반", c.course.name)
        rep.fill({"class_name": c.course.name, "lms": report.lms, "generated_at": stamp}, [title])
        _class_matrix(rep, title, c)
    rep.remove_sheet("반")
    rep.fill(
        {
            "lms": report.lms,
            "generated_at": stamp,
            "class_count": len(report.classes),
            "assignment_count": sum(len(c.assignments) for c in report.classes),
        },
        ["요약", "오류"],
    )
    rep.fill_table("요약", "s", summary_rows)
    if report.errors:
        rep.fill_table(
            "오류", "e", [{"class_name": e.class_name, "message": e.message} for e in report.errors]
        )
    else:
        rep.remove_sheet("오류")
    return rep.save(path, overwrite=overwrite, password=password)


def _class_matrix(rep: TemplateReport, sheet: str, c: ClassMissing) -> None:
    ws = rep.sheet(sheet)
    header_row, first = 4, 5
    n = len(c.assignments)
    marks = [{e.student.id: MARK[e.status] for e in a.missing} for a in c.assignments]
    header = [
        a.assignment.title + (f"\n({', '.join(a.group_names)})" if a.group_names else "")
        for a in c.assignments
    ]
    header.append("미제출 수")
    rep.write_grid(sheet, header_row, 4, [header], style_from=(header_row, 1))
    rows = []
    for i, s in enumerate(c.students, start=1):
        missing = sum(1 for m in marks if s.id in m)
        assigned = sum(1 for a in c.assignments if _is_assigned(a, s.id))
        chronic = is_chronic(missing, assigned)
        row: list[Any] = [i, s.name, s.username or ""]
        for a, m in zip(c.assignments, marks, strict=True):
            row.append(m.get(s.id, "" if _is_assigned(a, s.id) else "-"))
        row.append(missing)
        if chronic:
            row = [Cell(v, fill=CHRONIC_FILL, bold=True) for v in row]
        rows.append(row)
    rep.write_grid(sheet, first, 1, rows, style_from=(first, 1))
    totals: list[Any] = ["", "미제출 수", ""] + [len(a.missing) for a in c.assignments] + [""]
    rep.write_grid(sheet, first + len(rows), 1, [[Cell(v, bold=True) for v in totals]], style_from=(first, 1))
    for j in range(n + 1):
        letter = ws.cell(header_row, 4 + j).column_letter
        ws.column_dimensions[letter].width = 12
    last_col = ws.cell(header_row, 3 + n + 1).column_letter
    ws.auto_filter.ref = f"A{header_row}:{last_col}{first + len(rows) - 1}"
    ws.print_area = f"A1:{last_col}{first + len(rows)}"


def _is_assigned(a: AssignmentMissing, student_id: str) -> bool:
    return student_id in a.assigned_ids


__all__ = [
    "collect_missing",
    "report_csv_rows",
    "report_to_dict",
    "write_report_csv",
    "write_report_json",
    "write_report_xlsx",
]
