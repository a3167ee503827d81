"""Roster generation, writing and reading back, and the `roster generate` command."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from schoolauto.errors import DataError, MissingColumnsError, OutputExistsError, UsageError
from schoolauto.roster import HEADERS, generate_roster, make_student_id, read_roster, write_roster


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # error messages show paths as given: relative names stay short


def test_same_seed_same_roster_and_different_seed_differs():
    a = generate_roster(60, classes=2, seed=7)
    b = generate_roster(60, classes=2, seed=7)
    c = generate_roster(60, classes=2, seed=8)
    assert a == b
    assert [s.name for s in a] != [s.name for s in c]


@pytest.mark.parametrize(
    ("grade", "klass", "number", "expected"),
    [(1, 3, 12, "10312"), (1, 10, 12, "11012"), (3, 1, 1, "30101"), (2, 12, 35, "21235")],
)
def test_student_id_form(grade, klass, number, expected):
    assert make_student_id(grade, klass, number) == expected


def test_generated_ids_match_grade_class_number():
    students = generate_roster(grades=(1, 2), classes=11, per_class=4, seed=1)
    assert len(students) == 2 * 11 * 4
    for s in students:
        assert re.fullmatch(r"\d{5}", s.student_id)
        assert s.student_id == f"{s.grade}{s.klass:02d}{s.number:02d}"
    assert len({s.student_id for s in students}) == len(students)


def test_realistic_attributes():
    students = generate_roster(360, classes=12, seed=3)
    assert {s.gender for s in students} == {"남", "여"}
    assert {s.level for s in students} == {"상", "중", "하"}
    assert all(0 <= s.score <= 100 for s in students)
    assert all(re.fullmatch(r"[EI][NS][FT][JP]", s.mbti) for s in students)
    assert all(re.fullmatch(r"010-\d{4}-\d{4}", s.phone) for s in students)
    assert all(s.email.split("@")[1].startswith("example.") for s in students)
    assert 0 < sum(s.special for s in students) < 30
    # 동명이인 occur naturally in a grade of 360.
    assert any(n > 1 for n in Counter(s.name for s in students).values())
    # Class sizes differ by at most one.
    sizes = Counter(s.klass for s in students)
    assert max(sizes.values()) - min(sizes.values()) <= 1


def test_previous_class_only_above_first_grade():
    students = generate_roster(grades=(1, 2), classes=3, per_class=5, seed=2)
    assert all(s.previous_class is None for s in students if s.grade == 1)
    assert all(1 <= (s.previous_class or 0) <= 3 for s in students if s.grade == 2)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_students": 0}, "학생 수가 올바르지 않습니다: 0 (1 이상)"),
        ({"n_students": 10, "per_class": 5}, "학생 수와 반당 학생 수는 함께 줄 수 없습니다"),
        ({"grades": ()}, "학년을 하나 이상 주세요"),
        ({"classes": 0}, "반 수가 올바르지 않습니다: 0 (1-99)"),
        ({"n_students": 500}, "한 반에 500명은 너무 많습니다: 반 수를 늘리세요 (번호는 99까지)"),
    ],
)
def test_bad_generator_inputs(kwargs, message):
    with pytest.raises(UsageError) as info:
        generate_roster(**kwargs)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("name", "encoding"), [("r.xlsx", "utf-8-sig"), ("r.csv", "utf-8-sig"), ("r.csv", "cp949")]
)
def test_round_trip(tmp_path: Path, name: str, encoding: str):
    students = generate_roster(grades=(2,), classes=2, per_class=15, seed=5)
    path = write_roster(students, tmp_path / name, encoding=encoding)
    roster = read_roster(path)
    assert roster.id_column == "학번"
    assert roster.columns == [h for h in HEADERS if h != "학번"]
    assert roster.ids == [s.student_id for s in students]
    assert roster.to_students() == students
    if encoding == "cp949":
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        raw.decode("cp949")


def test_xlsx_is_printable(tmp_path: Path):
    path = write_roster(generate_roster(10, seed=1), tmp_path / "r.xlsx")
    ws = load_workbook(path)["명렬표"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.freeze_panes == "A5"
    assert ws.auto_filter.ref.startswith("A4:")
    assert [c.value for c in ws[4]] == list(HEADERS)


def test_write_refuses_to_overwrite(tmp_path: Path):
    path = write_roster(generate_roster(3, seed=1), tmp_path / "r.csv")
    before = path.read_bytes()
    with pytest.raises(OutputExistsError):
        write_roster(generate_roster(3, seed=2), path)
    assert path.read_bytes() == before
    write_roster(generate_roster(3, seed=2), path, overwrite=True)
    assert path.read_bytes() != before


def _write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_reads_school_export_with_title_rows_and_spaced_headers(tmp_path: Path):
    wb = Workbook()
    ws = wb.active
    ws.append(["2026학년도 1학년 명렬표"])
    ws.append([])
    ws.append(["학  번", "성  명", "성 별", "비고"])
    ws.append([10101, "김하나", "여", ""])
    ws.append([10102, "이두리", "남", "전학"])
    ws.append(["학  번", "성  명", "성 별", "비고"])  # repeated at a page break
    ws.append([10103, "박세찬", "남", ""])
    wb.save(tmp_path / "export.xlsx")
    roster = read_roster(tmp_path / "export.xlsx")
    assert roster.ids == ["10101", "10102", "10103"]
    assert roster.resolve("성별") == "성 별"
    assert roster.column_values("성명") == ["김하나", "이두리", "박세찬"]
    assert [r.row for r in roster] == [4, 5, 7]


def test_custom_id_column(tmp_path: Path):
    path = _write_csv(tmp_path / "a.csv", [["번호", "이름"], ["1", "가"], ["2", "나"]], encoding="cp949")
    roster = read_roster(path, id_column="번호")
    assert roster.ids == ["1", "2"]
    assert roster.columns == ["이름"]


@pytest.mark.parametrize(
    ("rows", "error", "message"),
    [
        (
            [["학번", "성명"], ["10101", "가"], ["10101", "나"]],
            DataError,
            "파일 bad.csv, 3행, 열 학번: 학번 10101 이(가) 2행과 겹칩니다 "
            "(한 학생은 한 줄에만 있어야 합니다)",
        ),
        (
            [["학번", "성명"], ["10101", "가"], ["", "나"]],
            DataError,
            "파일 bad.csv, 3행, 열 학번: 학번 이(가) 비어 있습니다",
        ),
        (
            [["번호", "성명"], ["1", "가"]],
            MissingColumnsError,
            "파일 bad.csv: 필요한 열이 없습니다: 학번 / 찾은 열: 번호, 성명 (필요한 열: 학번)",
        ),
        ([["학번", "성명"]], DataError, "파일 bad.csv: 학생 줄이 없습니다: 머리글 아래가 비어 있습니다"),
    ],
)
def test_bad_roster_files(tmp_path: Path, rows, error, message):
    path = _write_csv(Path("bad.csv"), rows)  # relative: errors show paths as given
    with pytest.raises(error) as info:
        read_roster(path)
    assert str(info.value) == message


def test_resolve_names_missing_column(tmp_path: Path):
    roster = read_roster(_write_csv(Path("a.csv"), [["학번", "성명"], ["1", "가"]]))
    with pytest.raises(MissingColumnsError) as info:
        roster.resolve("성별")
    assert str(info.value) == "파일 a.csv: 열 '성별' 이(가) 없습니다 / 있는 열: 성명"


# ----- CLI ------------------------------------------------------------------------------------


def test_cli_generate_xlsx(run_cli, tmp_path: Path):
    out = tmp_path / "명렬표.xlsx"
    r = run_cli(
        "roster",
        "generate",
        "--students",
        "30",
        "--grades",
        "1",
        "--classes",
        "5",
        "--seed",
        "1",
        "--out",
        out,
    )
    assert r.code == 0, r.err
    assert r.out == f"가상 명렬표를 만들었습니다: 학생 30명, 5개 반 → {out}\n"
    roster = read_roster(out)
    assert len(roster) == 30
    assert roster.to_students() == generate_roster(30, grades=(1,), classes=5, seed=1)


def test_cli_generate_cp949_csv(run_cli, tmp_path: Path):
    out = tmp_path / "r.csv"
    r = run_cli(
        "roster", "generate", "--per-class", "3", "--grades", "1-2", "--out", out, "--encoding", "cp949"
    )
    assert r.code == 0, r.err
    assert len(read_roster(out)) == 6


def test_cli_refuses_overwrite(run_cli, tmp_path: Path):
    out = Path("r.csv")
    out.write_text("keep", encoding="utf-8")
    r = run_cli("roster", "generate", "--students", "3", "--out", out)
    assert r.code == 2
    assert (
        r.err == "오류: 파일 r.csv: 출력 파일이 이미 있습니다 (다른 이름을 주거나 --overwrite 를 붙이세요)\n"
    )
    assert out.read_text(encoding="utf-8") == "keep"
    assert run_cli("roster", "generate", "--students", "3", "--out", out, "--overwrite").code == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--grades", "x"],
            "오류: --grades: 학년 목록을 읽을 수 없습니다: 'x' (예: 1 또는 1,2,3 또는 1-3)\n",
        ),
        (["--students", "0"], "오류: --students: 학생 수가 올바르지 않습니다: 0 (1 이상)\n"),
        (["--out", "a.txt"], "오류: 파일 a.txt: 명렬표는 .xlsx 또는 .csv 로 저장합니다\n"),
    ],
)
def test_cli_bad_inputs(run_cli, tmp_path: Path, argv, message):
    base = ["roster", "generate", "--students", "5"]
    if "--out" not in argv:
        argv = [*argv, "--out", str(tmp_path / "r.csv")]
    else:
        argv = ["--out", "a.txt"]
    r = run_cli(*base, *argv)
    assert r.code == 2
    assert r.err == message


def test_cli_help_has_example(run_cli):
    with pytest.raises(SystemExit):
        run_cli("roster", "generate", "--help")


def test_a_roster_named_like_the_template_in_the_working_folder_is_not_used_as_template(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    write_roster(generate_roster(3, seed=1), "roster.xlsx")
    write_roster(generate_roster(4, seed=2), "school.xlsx")
    assert len(read_roster("school.xlsx")) == 4
