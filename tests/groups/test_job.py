"""The `assign` job called directly from Python (no CLI): request fields, provenance, outputs, templates."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from schoolauto.errors import PasswordError, UsageError
from schoolauto.groups import (
    AssignRequest,
    ColumnValue,
    ColumnWeight,
    Progress,
    SeatSpec,
    assign,
    parse_column_weights,
)
from schoolauto.outputs import OutputRequest, write_outputs
from schoolauto.reports.engine import find_template
from schoolauto.roster import generate_roster, write_roster

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    return write_roster(generate_roster(30, seed=1), tmp_path / "명렬표.xlsx")


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    path = tmp_path / "제약.csv"
    path.write_text(
        '유형,학번,모둠\n분리,"10101, 10102",\n함께,10104 10105,\n고정,10106,2\n', encoding="utf-8"
    )
    return path


def test_assign_reads_files_solves_and_keeps_provenance(roster: Path, rules: Path, tmp_path: Path):
    seen: list[Progress] = []
    request = AssignRequest(
        roster=roster,
        groups=6,
        balance=[ColumnWeight("성별", 2.0), ColumnWeight("수준")],
        no_alone=[ColumnValue("성별", "여")],
        constraints=rules,
        seed=1,
        time_limit=30,
        progress=seen.append,
    )
    result = assign(request)
    assert result.status == "optimal" and result.gap == 0.0
    assert result.checks.ok
    a = result.groups_by_id()
    assert a["10101"] != a["10102"] and a["10104"] == a["10105"] and a["10106"] == 2
    assert result.roster_path == str(roster) and result.roster_sheet == "명렬표"
    assert result.constraints_path == str(rules)
    stages = [name for name, _ in result.profile]
    assert stages[0] == "명렬표·제약 읽기" and "모델 만들기" in stages and "동점 정리 (시드)" in stages
    assert all(p.elapsed >= 0 for p in seen)  # progress (if the solver reported any) is well formed
    # The same seed gives the same answer through the job too.
    assert assign(request).assignment == result.assignment

    out, js, cs = tmp_path / "r.xlsx", tmp_path / "r.json", tmp_path / "r.csv"
    written = write_outputs(result, OutputRequest(out=out, json=js, csv=cs))
    assert written == [out, js, cs]
    doc = json.loads(js.read_text(encoding="utf-8"))
    assert doc["source"]["roster"] == str(roster) and doc["profile"][0]["stage"] == "명렬표·제약 읽기"
    assert cs.read_text(encoding="utf-8-sig").splitlines()[0] == "학번,성명,모둠"
    ws = load_workbook(out)["요약"]
    assert ws["B3"].value == "최적 (증명됨)"
    assert ws["A12"].value == "모둠" and ws.cell(19, 1).value == "표준편차"


def test_classes_are_called_classes(roster: Path, tmp_path: Path):
    result = assign(AssignRequest(roster=roster, groups=3, balance=[ColumnWeight("성별")], unit="반"))
    assert result.status_text() == "최적 (증명됨)"
    assert result.csv_table()[0][-1] == "반"
    out = tmp_path / "반.xlsx"
    write_outputs(result, OutputRequest(out=out))
    wb = load_workbook(out)
    assert wb.sheetnames == ["요약", "반별 명단", "제약 확인"]
    assert wb["요약"]["A1"].value == "반 편성 결과"
    assert wb["요약"]["A9"].value == "반 크기"
    assert wb["요약"]["A12"].value == "반"
    assert wb["반별 명단"]["A3"].value == "반"
    details = [r[2] for r in wb["제약 확인"].iter_rows(min_row=4, values_only=True)]
    assert details[0].startswith("1반 10석")


def test_unproven_status_reads_plainly(roster: Path):
    greedy = assign(AssignRequest(roster=roster, groups=6, balance=[ColumnWeight("MBTI")], method="greedy"))
    assert greedy.status == "feasible" and greedy.status_text() == "최적 미증명"
    greedy.bound = greedy.objective * 0.992
    assert greedy.status_text() == "최적 미증명 (간격 0.80%)"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"groups": 31}, "groups"),  # more groups than students: an empty group
        ({"groups": 0}, "groups"),
        ({"groups": None}, "groups"),
        ({"size": 4}, "size"),
        ({"time_limit": 0}, "time_limit"),
        ({"threads": 0}, "threads"),
        ({"unit": "조"}, "unit"),
        ({"balance": []}, "balance"),
        ({"method": "annealing"}, "method"),
        ({"solver": "gurobi"}, "solver"),
        ({"no_alone": [ColumnValue("성별", "무")]}, "no_alone"),
        ({"balance": [ColumnWeight("혈액형")]}, "balance"),
        ({"seats": SeatSpec("특수학급", 0)}, "seats"),
        ({"numeric_tolerance": -1.0}, "numeric_tolerance"),
    ],
)
def test_errors_name_request_fields(roster: Path, change: dict, field: str):
    request = AssignRequest(roster=roster, groups=6, balance=[ColumnWeight("성별")], time_limit=10)
    for k, v in change.items():
        setattr(request, k, v)
    with pytest.raises(Exception) as info:
        assign(request)
    assert getattr(info.value, "field", None) == field
    assert not re.search(r"--[a-z]", str(info.value))


def test_more_groups_than_students_is_a_usage_error(roster: Path):
    with pytest.raises(UsageError) as info:
        assign(AssignRequest(roster=roster, groups=31, balance=[ColumnWeight("성별")]))
    assert str(info.value) == "모둠 수(31)가 학생 수(30)보다 많아 빈 모둠이 생깁니다"


def test_text_forms_name_their_field():
    with pytest.raises(UsageError) as info:
        parse_column_weights("성별=x", "balance")
    assert info.value.field == "balance" and "--" not in str(info.value)
    assert parse_column_weights(["성별=2,MBTI", "MBTI=3"], "balance") == [
        ColumnWeight("성별", 2.0),
        ColumnWeight("MBTI", 3.0),
    ]


def test_encrypted_roster_names_the_password_field(roster: Path, tmp_path: Path, run_cli, monkeypatch):
    from msoffcrypto.format.ooxml import OOXMLFile

    locked = tmp_path / "잠김.xlsx"
    with roster.open("rb") as fh, locked.open("wb") as out:
        OOXMLFile(fh).encrypt("pw1234", out)
    with pytest.raises(PasswordError) as info:
        assign(AssignRequest(roster=locked, groups=3, balance=[ColumnWeight("성별")]))
    assert info.value.field == "password"
    monkeypatch.delenv("SCHOOLAUTO_INPUT_PASSWORD", raising=False)
    r = run_cli("groups", "assign", locked, "--groups", "3", "--balance", "성별")
    assert r.code == 1
    assert "--ask-password" not in r.err and "SCHOOLAUTO_INPUT_PASSWORD" in r.err
    monkeypatch.setenv("SCHOOLAUTO_INPUT_PASSWORD", "pw1234")
    assert assign(
        AssignRequest(roster=locked, groups=3, balance=[ColumnWeight("성별")], password="pw1234")
    ).checks.ok


def test_moved_and_restyled_template_still_fills(roster: Path, tmp_path: Path):
    """A teacher inserts rows and columns above the summary grid and the tables, renames the
    sheets and restyles the header: the report still fills through the markers alone."""
    from openpyxl.styles import Font, PatternFill

    mine = tmp_path / "우리학교 서식.xlsx"
    shutil.copy(find_template("groups_report"), mine)
    wb = load_workbook(mine)
    summary, members, checks = wb["요약"], wb["모둠별 명단"], wb["제약 확인"]
    summary.insert_rows(1, 3)
    summary.insert_cols(1, 2)
    summary["A1"] = "우리학교 2학년부"
    members.insert_rows(2, 2)
    members.insert_cols(1)
    checks.insert_rows(1, 5)
    summary.title, members.title, checks.title = "결과", "명단", "확인"
    grid = summary["C15"]
    assert grid.value == "{{summary:grid}}"
    grid.font = Font(bold=True, color="FFFFFFFF")
    grid.fill = PatternFill("solid", fgColor="FF1F4E79")
    wb.save(mine)

    result = assign(AssignRequest(roster=roster, groups=6, balance=[ColumnWeight("성별")], seed=2))
    out = tmp_path / "결과.xlsx"
    write_outputs(result, OutputRequest(out=out, template=mine))
    wb = load_workbook(out)
    assert wb.sheetnames == ["결과", "명단", "확인"]
    ws = wb["결과"]
    assert ws["A1"].value == "우리학교 2학년부"
    assert ws["D6"].value == "최적 (증명됨)"  # the status placeholder moved with its row/column
    assert ws["C15"].value == "모둠" and ws["D15"].value == "인원"
    assert ws["C15"].font.bold and ws["C15"].fill.fgColor.rgb == "FF1F4E79"  # the teacher's style
    assert [ws.cell(16 + g, 3).value for g in range(6)] == [1, 2, 3, 4, 5, 6]
    assert ws.cell(22, 3).value == "표준편차"
    m = wb["명단"]
    assert m.cell(5, 4).value == "학번"  # header moved down two rows and right one column
    ids = [m.cell(r, 4).value for r in range(6, 36)]
    assert sorted(ids) == sorted(result.problem.ids)
    c = wb["확인"]
    assert c.cell(9, 1).value == "크기" and c.cell(9, 4).value == "예"


def test_library_messages_name_no_flags():
    """Messages in the library never name CLI flags (the CLI maps fields to its own flags)."""
    pattern = re.compile(r"""["'][^"'\n]*\s--[a-z][a-z-]+""")
    found = []
    for folder in ("groups", "roster"):
        for path in sorted((ROOT / "schoolauto" / folder).glob("*.py")):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if pattern.search(line) and "pip install" not in line:
                    found.append(f"{path.name}:{n}: {line.strip()}")
    assert found == []
