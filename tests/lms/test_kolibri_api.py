"""`schoolauto lms missing` against a real Kolibri via its REST API: equal to the seeded truth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from .conftest import kolibri_config, report_missing, truth_missing


def test_missing_json_equals_truth(
    kolibri: dict[str, Any], coach_password: str, lms_env: Path, run_cli
) -> None:
    cfg = kolibri_config(lms_env.parent, kolibri["url"])
    res = run_cli("lms", "missing", "--config", cfg, "--lms", "kolibri-test", "--json", "out.json", "--yes")
    assert res.code == 0, res.err
    data = json.loads(Path("out.json").read_text(encoding="utf-8"))
    assert report_missing(data) == truth_missing(kolibri["truth"])
    assert data["errors"] == []
    # a quiz assigned to a group lists only that group's members
    cls = data["classes"][0]
    group_quiz = next(a for a in cls["assignments"] if "(1모둠)" in a["title"])
    assert (group_quiz["groups"], group_quiz["target"]) == (["1모둠"], "groups")
    truth = next(a for a in kolibri["truth"]["classes"][0]["assignments"] if a["id"] == group_quiz["id"])
    assert group_quiz["assigned"] == len(truth["statuses"]) == 16  # 15, and one who joined the group later
    # work given to chosen learners is theirs only (Kolibri: `assignments: []` and `learner_ids`)
    adhoc = next(a for a in cls["assignments"] if a["title"] == "개별 퀴즈")
    assert (adhoc["target"], adhoc["groups"], adhoc["assigned"]) == ("learners", [], 5)
    n = len(kolibri["truth"]["classes"][0]["assignments"])
    assert f"2학년 1반: 과제 {n}개" in res.out


def test_missing_xlsx_and_csv(kolibri: dict[str, Any], coach_password: str, lms_env: Path, run_cli) -> None:
    cfg = kolibri_config(lms_env.parent, kolibri["url"])
    res = run_cli(
        "lms",
        "missing",
        "--config",
        cfg,
        "--lms",
        "kolibri-test",
        "--out",
        "r.xlsx",
        "--csv",
        "r.csv",
        "--yes",
    )
    assert res.code == 0, res.err
    wb = load_workbook("r.xlsx")
    assert wb.sheetnames == ["요약", "2학년 1반", "2학년 2반"]
    truth = truth_missing(kolibri["truth"])
    ws = wb["2학년 1반"]
    header = [c.value for c in ws[4]]
    titles = list(truth["2학년 1반"])
    assert header[:3] == ["번호", "이름", "아이디"]
    cols = {h.split("\n")[0]: i for i, h in enumerate(header) if isinstance(h, str)}
    for row in ws.iter_rows(min_row=5, max_row=34, values_only=True):
        username = row[2]
        for t in titles:
            status = truth["2학년 1반"][t].get(username)
            cell = row[cols[t]]
            assert (
                cell
                == {"not_started": "✗", "started": "△", None: cell if cell in ("", None, "-") else "?"}[
                    status
                ]
            )
    csv_lines = Path("r.csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv_lines[0] == "반,과제,종류,마감,이름,아이디,상태,늦음"
    assert len(csv_lines) - 1 == sum(len(v) for c in truth.values() for v in c.values())


def test_class_filter_and_kind(kolibri: dict[str, Any], coach_password: str, lms_env: Path, run_cli) -> None:
    cfg = kolibri_config(lms_env.parent, kolibri["url"])
    res = run_cli(
        "lms", "missing", "--config", cfg, "--lms", "kolibri-test",
        "--class", "2학년 2반", "--class", "3학년 9반", "--kind", "quiz", "--json", "-", "--yes",
    )  # fmt: skip
    assert res.code == 3
    data = json.loads(res.out)
    assert [c["name"] for c in data["classes"]] == ["2학년 2반"]
    assert {a["kind"] for a in data["classes"][0]["assignments"]} == {"quiz"}
    assert data["errors"] == [{"class": "3학년 9반", "message": "LMS 에 이 이름의 반이 없습니다"}]
    assert "경고: 3학년 9반: LMS 에 이 이름의 반이 없습니다" in res.err


def test_wrong_password_one_clear_message(
    kolibri: dict[str, Any], lms_env: Path, run_cli, monkeypatch
) -> None:
    monkeypatch.setenv("SCHOOLAUTO_LMS_PASSWORD", "not-the-password")
    res = run_cli(
        "lms", "missing", "--driver", "kolibri", "--url", kolibri["url"], "--username", "coach", "--yes"
    )
    assert res.code == 1
    assert res.err == (
        f"오류: Kolibri({kolibri['url']}) 로그인 실패: 아이디나 비밀번호가 틀렸습니다 "
        "(설정의 username 과 비밀번호 환경변수/키링 값을 확인하세요)\n"
    )
    assert "not-the-password" not in res.out + res.err
