"""`schoolauto groups assign` through the real CLI: outputs, JSON shape, messages and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from schoolauto.groups import Problem, evaluate
from schoolauto.roster import generate_roster, read_roster, write_roster

JSON_KEYS = {"status", "objective", "bound", "gap", "seconds", "assignment", "stddev"}


@pytest.fixture
def roster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # Run in the roster's folder: error messages show paths as given, so relative names stay short.
    monkeypatch.chdir(tmp_path)
    write_roster(generate_roster(30, seed=1), tmp_path / "명렬표.xlsx")
    return Path("명렬표.xlsx")


@pytest.fixture
def constraints(tmp_path: Path) -> Path:
    path = tmp_path / "제약.csv"
    path.write_text(
        '유형,학번,모둠\n분리,"10101, 10102 10103",\n함께,10104 10105,\n고정,10106,2모둠\n',
        encoding="utf-8-sig",
    )
    return path


def validate_schema(doc: dict) -> None:
    """The documented JSON shape (docs/groups.md)."""
    assert JSON_KEYS <= set(doc)
    assert doc["status"] in ("optimal", "feasible", "infeasible")
    for key in ("objective", "bound", "gap"):
        assert doc[key] is None or isinstance(doc[key], float | int)
    assert isinstance(doc["seconds"], float | int)
    assert all(isinstance(k, str) and isinstance(v, int) and v >= 1 for k, v in doc["assignment"].items())
    for attr, vals in doc["stddev"].items():
        assert isinstance(attr, str)
        assert all(isinstance(v, str) and isinstance(s, float | int) for v, s in vals.items())


def test_assign_writes_report_json_csv(run_cli, tmp_path: Path, roster: Path, constraints: Path):
    out, js, cs = tmp_path / "모둠.xlsx", tmp_path / "모둠.json", tmp_path / "모둠.csv"
    r = run_cli(
        "groups", "assign", roster, "--groups", "6", "--balance", "성별=2,MBTI,수준", "--no-alone", "성별=여",
        "--constraints", constraints, "--names-apart", "--seed", "1",
        "--out", out, "--json", js, "--csv", cs,
    )  # fmt: skip
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0] == "학생 30명 → 6모둠 (크기 5, 5, 5, 5, 5, 5)"
    assert lines[1].startswith("상태 최적 (증명됨), 목적값 ")
    assert "간격 0.00%" in lines[1]
    doc = json.loads(js.read_text(encoding="utf-8"))
    validate_schema(doc)
    assert doc["status"] == "optimal" and doc["gap"] == 0.0
    assert set(doc["stddev"]) == {"성별", "MBTI", "수준"}
    assert len(doc["assignment"]) == 30
    a = doc["assignment"]
    assert len({a["10101"], a["10102"], a["10103"]}) == 3
    assert a["10104"] == a["10105"]
    assert a["10106"] == 2
    # The reported objective is the one recomputed from the assignment.
    rows = read_roster(roster)
    problem = Problem(
        ids=rows.ids, n_groups=6, min_size=5, max_size=5,
        categorical={c: rows.column_values(c) for c in ("성별", "MBTI", "수준")},
        balance={"성별": 2.0, "MBTI": 1.0, "수준": 1.0},
    )  # fmt: skip
    recomputed = evaluate(problem, [a[i] - 1 for i in rows.ids]).objective
    assert doc["objective"] == pytest.approx(recomputed, abs=1e-6)
    wb = load_workbook(out)
    assert wb.sheetnames == ["요약", "모둠별 명단", "제약 확인"]
    assert wb["요약"]["B3"].value == "최적 (증명됨)"
    assert wb["요약"]["A12"].value == "모둠"
    assert wb["요약"].cell(19, 1).value == "표준편차"
    checks = [row for row in wb["제약 확인"].iter_rows(min_row=4, values_only=True)]
    assert all(row[3] == "예" for row in checks)
    assert {row[0] for row in checks} >= {"크기", "분리", "함께", "고정", "혼자 금지"}
    members = list(wb["모둠별 명단"].iter_rows(min_row=4, values_only=True))
    assert len(members) == 30
    csv_text = cs.read_text(encoding="utf-8-sig").splitlines()
    assert csv_text[0] == "학번,성명,모둠"
    assert len(csv_text) == 31


def test_same_seed_same_json_and_json_to_stdout(run_cli, roster: Path):
    args = ["groups", "assign", roster, "--size", "4", "--balance", "성별,수준", "--json", "-"]
    a = json.loads(run_cli(*args, "--seed", "3").out)
    b = json.loads(run_cli(*args, "--seed", "3").out)
    c = json.loads(run_cli(*args, "--seed", "4").out)
    validate_schema(a)
    assert a["assignment"] == b["assignment"]
    assert a["objective"] == pytest.approx(c["objective"])
    assert max(a["assignment"].values()) == 8  # ceil(30 / 4)


@pytest.mark.parametrize("method", ["greedy", "random"])
def test_baseline_methods(run_cli, roster: Path, method: str):
    r = run_cli(
        "groups", "assign", roster, "--groups", "5", "--balance", "성별", "--method", method, "--json", "-"
    )
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    validate_schema(doc)
    assert doc["status"] == "feasible" and doc["bound"] is None and doc["method"] == method


def test_numeric_and_similar(run_cli, roster: Path):
    r = run_cli(
        "groups", "assign", roster, "--groups", "3", "--numeric", "성적", "--similar", "수준",
        "--balance", "성별", "--time-limit", "2", "--json", "-",
    )  # fmt: skip
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    assert len(doc["means"]["성적"]) == 3
    assert doc["distinct"]["수준"] and sum(doc["distinct"]["수준"]) >= 3


def test_seats_count_double(run_cli, tmp_path: Path):
    path = tmp_path / "r.csv"
    rows = ["학번,성별,특수학급"] + [f"{10101 + i},{'남여'[i % 2]},{'Y' if i == 0 else ''}" for i in range(9)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    r = run_cli(
        "groups",
        "assign",
        path,
        "--groups",
        "2",
        "--balance",
        "성별,특수학급",
        "--seats",
        "특수학급=2",
        "--json",
        "-",
    )
    assert r.code == 0, r.err
    assert sorted(json.loads(r.out)["sizes"]) == [5, 5]


def test_infeasible_explained_with_json(run_cli, tmp_path: Path, roster: Path):
    cons = tmp_path / "c.csv"
    cons.write_text("유형,학번\n분리,10101 10102 10103 10104\n", encoding="utf-8")
    js = tmp_path / "r.json"
    r = run_cli(
        "groups", "assign", roster, "--groups", "3", "--balance", "성별", "--constraints", cons, "--json", js
    )
    assert r.code == 1
    assert r.err == (
        "오류: 제약을 모두 지킬 수 없습니다: 서로 떨어뜨릴 학생 4명이 모둠 수(3)보다 많습니다 — 관련 제약: "
        "분리(10101, 10102, 10103, 10104) [c.csv 2행] (관련 제약 중 하나를 빼거나 모둠 수·크기를 바꾸세요)\n"
    )
    doc = json.loads(js.read_text(encoding="utf-8"))
    validate_schema(doc)
    assert doc["status"] == "infeasible"
    assert doc["conflicts"] == ["분리(10101, 10102, 10103, 10104) [c.csv 2행]"]


@pytest.mark.parametrize(
    ("extra", "code", "message"),
    [
        (
            ["--balance", "성별"],
            2,
            "오류: --groups: 모둠 수나 모둠 크기(또는 최소·최대 크기) 중 하나가 필요합니다\n",
        ),
        (
            ["--groups", "3"],
            2,
            "오류: --balance: 무엇을 고르게 할지 정해 주세요 (고르게 할 범주 열, 수치 열 또는 비슷하게 할 열)\n",
        ),
        (
            ["--groups", "3", "--balance", "혈액형"],
            1,
            "오류: 파일 명렬표.xlsx, 시트 명렬표: 열 '혈액형' 이(가) 없습니다 / 있는 열: 학년, 반, 번호, 성명, "
            "성별, MBTI, 수준, 성적, 이전반, 특수학급, 연락처, 이메일\n",
        ),
        (
            ["--groups", "3", "--numeric", "성적", "--numeric-tolerance", "-1"],
            2,
            "오류: --numeric-tolerance: 0 이상이어야 합니다 (-1.0)\n",
        ),
        (
            ["--groups", "3", "--balance", "성별=x"],
            2,
            "오류: --balance: 가중치는 숫자여야 합니다 ('성별=x', 예: 성별=2)\n",
        ),
        (
            ["--groups", "3", "--size", "4", "--balance", "성별"],
            2,
            "오류: --size: 모둠 수와 모둠 크기는 함께 줄 수 없습니다\n",
        ),
        (
            ["--groups", "3", "--balance", "성별", "--no-alone", "성별=무"],
            2,
            "오류: --no-alone: '성별' 열에 '무' 값이 없습니다 (있는 값: 남, 여)\n",
        ),
        (
            ["--groups", "3", "--numeric", "성명"],
            1,
            "오류: 파일 명렬표.xlsx, 시트 명렬표, 5행, 열 성명: 숫자가 아닙니다: '고현준' (빈칸도 안 됩니다)\n",
        ),
    ],
)
def test_bad_options(run_cli, roster: Path, extra, code, message):
    r = run_cli("groups", "assign", roster, *extra)
    assert r.code == code
    assert r.err == message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "유형,학번\n섞기,10101 10102\n",
            "오류: 파일 c.csv, 2행, 열 유형: 유형 '섞기' 을(를) 알 수 없습니다 (분리, 함께, 고정 중 하나)\n",
        ),
        (
            "유형,학번\n분리,10101 99999\n",
            "오류: 파일 c.csv, 2행, 열 학번: 명렬표에 없는 학번입니다: 99999\n",
        ),
        (
            "유형,학번,모둠\n고정,10101,일\n",
            "오류: 파일 c.csv, 2행, 열 모둠: 고정할 모둠 번호가 올바르지 않습니다: '일' (1 이상의 정수)\n",
        ),
        (
            "유형,학번\n함께,10101\n",
            "오류: 파일 c.csv, 2행, 열 학번: 함께 에는 학번이 둘 이상 필요합니다 ('10101')\n",
        ),
    ],
)
def test_bad_constraints_file(run_cli, tmp_path: Path, roster: Path, content: str, message: str):
    cons = Path("c.csv")
    cons.write_text(content, encoding="utf-8")
    r = run_cli("groups", "assign", roster, "--groups", "3", "--balance", "성별", "--constraints", cons)
    assert r.code == 1
    assert r.err == message


def test_refuses_to_overwrite_before_solving(run_cli, tmp_path: Path, roster: Path):
    out = Path("g.xlsx")
    out.write_bytes(b"keep")
    r = run_cli("groups", "assign", roster, "--groups", "3", "--balance", "성별", "--out", out)
    assert r.code == 2
    assert (
        r.err == "오류: 파일 g.xlsx: 출력 파일이 이미 있습니다 (다른 이름을 주거나 --overwrite 를 붙이세요)\n"
    )
    assert out.read_bytes() == b"keep"


def test_help_has_examples(run_cli, capsys):
    with pytest.raises(SystemExit):
        run_cli("groups", "assign", "--help")
    out = capsys.readouterr().out
    assert "schoolauto groups assign 명렬표.xlsx --groups 6" in out
    assert "--constraints 제약.csv" in out


def test_report_template_is_not_taken_from_the_working_folder(
    run_cli, tmp_path: Path, roster: Path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "groups_report.xlsx").write_bytes(b"not a template")
    r = run_cli("groups", "assign", roster, "--groups", "3", "--balance", "성별", "--out", "g.xlsx")
    assert r.code == 0, r.err
    assert load_workbook(tmp_path / "g.xlsx").sheetnames == ["요약", "모둠별 명단", "제약 확인"]


def test_numeric_tolerance_makes_score_balance_provable(run_cli, roster: Path):
    r = run_cli(
        "groups", "assign", roster, "--groups", "3", "--balance", "성별", "--numeric", "성적",
        "--numeric-tolerance", "1", "--json", "-",
    )  # fmt: skip
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    assert doc["status"] == "optimal"
    overall = sum(m * s for m, s in zip(doc["means"]["성적"], doc["sizes"], strict=True)) / 30
    assert all(abs(m - overall) <= 1 + 1e-6 for m in doc["means"]["성적"])


def test_more_groups_than_students_names_the_option(run_cli, roster: Path):
    r = run_cli("groups", "assign", roster, "--groups", "31", "--balance", "성별")
    assert r.code == 2
    assert r.err == "오류: --groups: 모둠 수(31)가 학생 수(30)보다 많아 빈 모둠이 생깁니다\n"


def test_classes_unit_in_summary_and_csv(run_cli, tmp_path: Path, roster: Path):
    cs = tmp_path / "반.csv"
    r = run_cli("groups", "assign", roster, "--unit", "반", "--groups", "3", "--balance", "성별", "--csv", cs)
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0] == "학생 30명 → 3반 (크기 10, 10, 10)"
    assert lines[1].startswith("상태 최적 (증명됨), 목적값 ")
    assert cs.read_text(encoding="utf-8-sig").splitlines()[0] == "학번,성명,반"


def test_progress_only_on_a_terminal(monkeypatch):
    import argparse
    import io

    from schoolauto.commands.groups import _progress_printer
    from schoolauto.groups import Progress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    monkeypatch.setattr("sys.stderr", tty)
    show = _progress_printer(argparse.Namespace(json=None, quiet=False))
    assert show is not None
    show(Progress(elapsed=3.25, stage="정수계획", objective=12.5, bound=12.0))
    assert "3.2초 정수계획 · 최선 12.5000 · 하한 12.0000 · 간격 4.00%" in tty.getvalue()
    assert _progress_printer(argparse.Namespace(json="-", quiet=False)) is None
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert _progress_printer(argparse.Namespace(json=None, quiet=False)) is None


def test_verbose_shows_where_the_time_went(run_cli, roster: Path):
    r = run_cli("groups", "assign", roster, "--groups", "3", "--balance", "성별", "-v")
    assert r.code == 0, r.err
    for stage in ("명렬표·제약 읽기", "사전 점검", "모델 만들기", "정수계획 1차 (highs)", "동점 정리 (시드)"):
        assert f"{stage}: " in r.err
    assert "10101" not in r.err  # no student ids in the log
