"""The roster `generate` job called directly (no CLI), and the grades text form."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from schoolauto.errors import UsageError
from schoolauto.outputs import OutputRequest, write_outputs
from schoolauto.roster import HEADERS, RosterRequest, generate, parse_grades, read_roster


def test_generate_job_and_every_output(tmp_path: Path):
    result = generate(RosterRequest(students=24, grades=(2, 3), classes=2, seed=5))
    assert len(result.students) == 24 and result.n_classes == 4 and result.grades == [2, 3]
    assert generate(RosterRequest(students=24, grades=(2, 3), classes=2, seed=5)).students == result.students
    out, js, cs = tmp_path / "r.xlsx", tmp_path / "r.json", tmp_path / "r.csv"
    write_outputs(result, OutputRequest(out=out, json=js, csv=cs, csv_encoding="cp949"))
    assert read_roster(out).ids == read_roster(cs).ids == [s.student_id for s in result.students]
    doc = json.loads(js.read_text(encoding="utf-8"))
    assert doc["count"] == 24 and list(doc["students"][0]) == list(HEADERS)
    assert load_workbook(out).active["A1"].value == "학생 명렬표"


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        (RosterRequest(students=0), "students"),
        (RosterRequest(students=10, per_class=5), "per_class"),
        (RosterRequest(classes=100), "classes"),
        (RosterRequest(grades=(0,)), "grades"),
    ],
)
def test_errors_name_fields(request_: RosterRequest, field: str):
    with pytest.raises(UsageError) as info:
        generate(request_)
    assert info.value.field == field and "--" not in str(info.value)


def test_parse_grades():
    assert parse_grades("1") == (1,) and parse_grades("1-3") == (1, 2, 3) and parse_grades("1, 3") == (1, 3)
    for bad in ("3-1", "1학년", ""):
        with pytest.raises(UsageError) as info:
            parse_grades(bad)
        assert info.value.field == "grades"


def test_cli_reversed_grade_range_is_an_error(run_cli, tmp_path: Path):
    r = run_cli("roster", "generate", "--students", "10", "--grades", "3-1", "--out", tmp_path / "r.xlsx")
    assert r.code == 2
    assert r.err == "오류: --grades: 학년 범위가 거꾸로입니다: '3-1' (작은 학년부터, 예: 1-3)\n"
    assert not (tmp_path / "r.xlsx").exists()


def test_cli_writes_json_and_template_too(run_cli, tmp_path: Path):
    js = tmp_path / "r.json"
    r = run_cli("roster", "generate", "--students", "6", "--out", tmp_path / "r.xlsx", "--json", js)
    assert r.code == 0, r.err
    assert json.loads(js.read_text(encoding="utf-8"))["count"] == 6
    r = run_cli("roster", "generate", "--students", "6", "--json", "-")
    assert r.code == 0 and json.loads(r.out)["count"] == 6


def test_json_follows_its_schema():
    import jsonschema

    schema = json.loads(
        (Path(__file__).resolve().parents[2] / "docs" / "schemas" / "roster-generate.schema.json").read_text(
            encoding="utf-8"
        )
    )
    for request in (RosterRequest(students=7, seed=3), RosterRequest(per_class=3, grades=(2, 3), classes=2)):
        jsonschema.validate(generate(request).to_json(), schema)


def test_moved_template_still_fills(tmp_path: Path):
    import shutil

    from schoolauto.reports.engine import find_template

    mine = tmp_path / "우리 명렬표 서식.xlsx"
    shutil.copy(find_template("roster"), mine)
    wb = load_workbook(mine)
    ws = wb.active
    ws.insert_rows(1, 2)
    ws.insert_cols(1)
    ws.title = "2학년"
    wb.save(mine)
    result = generate(RosterRequest(students=5, seed=2))
    out = tmp_path / "r.xlsx"
    write_outputs(result, OutputRequest(out=out, template=mine))
    ws = load_workbook(out)["2학년"]
    assert ws["B3"].value == "학생 명렬표"
    assert [ws.cell(r, 2).value for r in range(7, 12)] == [s.student_id for s in result.students]
