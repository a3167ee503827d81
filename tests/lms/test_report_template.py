"""The xlsx report comes from the template's markers only: a restyled template with the tables
moved still fills; the JSON matches its schema; the header never repeats the group."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
from openpyxl import load_workbook
from openpyxl.styles import Font, PatternFill

from schoolauto.lms.model import (
    Assignment,
    ClassData,
    Course,
    Group,
    Learner,
    MissingReport,
    Status,
    StudentStatus,
    find_missing,
)
from schoolauto.lms.report import column_title
from schoolauto.outputs import OutputRequest, write_outputs
from schoolauto.reports.engine import find_template

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "schemas" / "lms-missing.schema.json"


def sample() -> MissingReport:
    students = [Learner(f"s{i}", f"학생{i}", f"u{i}") for i in range(6)]
    g1 = Group("g1", "1모둠", ("s0", "s1", "s2"))
    work = [
        Assignment("a1", "1차 형성평가", "quiz", everyone=True),
        Assignment("a2", "3차 형성평가 (1모둠)", "quiz", group_ids=("g1",), everyone=False),
        Assignment("a3", "개별 퀴즈", "quiz", student_ids=("s4", "s5"), everyone=False),
        Assignment("a4", "보충 레슨", "lesson", group_ids=("g1",), student_ids=("s5",), everyone=False),
    ]
    data = ClassData(
        Course("c1", "2학년 1반"),
        students,
        [g1],
        work,
        {("a1", "s0"): StudentStatus(Status.SUBMITTED), ("a3", "s4"): StudentStatus(Status.STARTED)},
    )
    return MissingReport("학교", datetime(2026, 11, 30, 9, 0, tzinfo=UTC), [find_missing(data)])


def test_header_names_the_target_once() -> None:
    titles = [column_title(a) for a in sample().classes[0].assignments]
    assert titles == [
        "1차 형성평가",
        "3차 형성평가 (1모둠)",
        "개별 퀴즈\n(개별 2명)",
        "보충 레슨\n(1모둠 + 개별 1명)",
    ]


def test_json_follows_the_schema() -> None:
    data = sample().to_json()
    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert [a["target"] for a in data["classes"][0]["assignments"]] == [
        "class",
        "groups",
        "learners",
        "groups+learners",
    ]
    assert [a["assigned"] for a in data["classes"][0]["assignments"]] == [6, 3, 2, 4]


def test_restyled_template_with_moved_tables_still_fills(tmp_path: Path) -> None:
    wb = load_workbook(find_template("lms_missing"))
    summary, cls = wb["요약"], wb["반"]
    # a teacher adds a school banner above the summary and shifts everything right and down
    summary.insert_rows(1, 3)
    summary.insert_cols(1, 2)
    summary["A1"] = "우리학교 교무부"
    summary["A1"].font = Font(size=20, bold=True, color="FF0000FF")
    # and moves the class matrix down two rows and right one column, restyled
    cls.insert_rows(1, 2)
    cls.insert_cols(1, 1)
    marker = next(c for row in cls.iter_rows() for c in row if c.value == "{{matrix:grid}}")
    marker.fill = PatternFill("solid", fgColor="FFFFFF00")
    wb.move_sheet("오류", offset=-2)  # sheet order changed too
    template = tmp_path / "내서식.xlsx"
    wb.save(template)
    out = tmp_path / "r.xlsx"
    write_outputs(sample(), OutputRequest(out=out, template=template))
    got = load_workbook(out)
    assert got.sheetnames == ["요약", "2학년 1반"]  # 오류 sheet removed: nothing failed
    s = got["요약"]
    assert s["A1"].value == "우리학교 교무부"
    header = [c.value for c in s[7]]
    assert header[2:5] == ["반", "과제", "종류"]
    assert [s.cell(8 + i, 4).value for i in range(4)] == [
        "1차 형성평가",
        "3차 형성평가 (1모둠)",
        "개별 퀴즈",
        "보충 레슨",
    ]
    assert [s.cell(8 + i, 7).value for i in range(4)] == ["반 전체", "1모둠", "개별 2명", "1모둠 + 개별 1명"]
    ws = got["2학년 1반"]
    top, left = marker.row, marker.column
    assert [ws.cell(top, left + j).value for j in range(3)] == ["번호", "이름", "아이디"]
    assert ws.cell(top, left).fill.fgColor.rgb == "FFFFFF00"
    row = {ws.cell(top + 1 + i, left + 2).value: i for i in range(6)}
    # u4: 1차 ✗, not in 1모둠 (-), 개별 △, 보충 not assigned (-)
    r = top + 1 + row["u4"]
    assert [ws.cell(r, left + 3 + j).value for j in range(4)] == ["✗", "-", "△", "-"]
    assert ws.cell(top + 7, left + 1).value == "미제출 수"
